package dev.migsafe.python;

import dev.migsafe.python.antlr.PythonLexer;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Pos;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Python literal tokens to values: numbers, and strings with their prefixes and escapes. */
final class Literals {

    private Literals() {}

    static Expr number(Pos pos, String text) {
        String t = text.replace("_", "");
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.endsWith("j")) {
            return new Expr.Imaginary(pos, text);
        }
        if (lower.startsWith("0x")) {
            return new Expr.Int(pos, new BigInteger(t.substring(2), 16));
        }
        if (lower.startsWith("0o")) {
            return new Expr.Int(pos, new BigInteger(t.substring(2), 8));
        }
        if (lower.startsWith("0b")) {
            return new Expr.Int(pos, new BigInteger(t.substring(2), 2));
        }
        if (lower.contains(".") || lower.contains("e")) {
            return new Expr.Float(pos, Double.parseDouble(t));
        }
        return new Expr.Int(pos, new BigInteger(t));
    }

    /** Implicitly concatenated string tokens; any f-string part makes the whole an f-string. */
    static Expr strings(Pos pos, List<ParseTree> tokens) {
        StringBuilder value = new StringBuilder();
        boolean bytes = false;
        for (ParseTree child : tokens) {
            TerminalNode token = (TerminalNode) child;
            if (token.getSymbol().getType() == PythonLexer.FSTRING) {
                return new Expr.FString(pos);
            }
            String text = token.getText();
            int quote = 0;
            while (text.charAt(quote) != '\'' && text.charAt(quote) != '"') {
                quote++;
            }
            String prefix = text.substring(0, quote).toLowerCase(Locale.ROOT);
            bytes |= prefix.indexOf('b') >= 0;
            boolean triple = text.length() - quote >= 6 && text.startsWith(text.substring(quote, quote + 1).repeat(3), quote);
            int q = triple ? 3 : 1;
            String body = text.substring(quote + q, text.length() - q);
            value.append(prefix.indexOf('r') >= 0 ? body : unescape(body, prefix.indexOf('b') >= 0));
        }
        return new Expr.Str(pos, value.toString(), bytes);
    }

    /** Decodes Python's backslash escapes; unknown escapes stay as written, as in Python. */
    static String unescape(String s, boolean bytes) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> { }
                case '\r' -> {
                    if (i < s.length() && s.charAt(i) == '\n') {
                        i++;
                    }
                }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> i = hex(s, i, 2, out);
                case 'u' -> i = bytes ? literal(out, e, i) : hex(s, i, 4, out);
                case 'U' -> i = bytes ? literal(out, e, i) : hex(s, i, 8, out);
                case 'N' -> i = bytes ? literal(out, e, i) : named(s, i, out);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < s.length() && end < i + 2 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                            end++;
                        }
                        out.appendCodePoint(Integer.parseInt(s.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int literal(StringBuilder out, char e, int i) {
        out.append('\\').append(e);
        return i;
    }

    private static int hex(String s, int i, int digits, StringBuilder out) {
        int end = Math.min(s.length(), i + digits);
        try {
            out.appendCodePoint(Integer.parseInt(s.substring(i, end), 16));
            return end;
        } catch (IllegalArgumentException ex) {
            out.append('\\').append(s.charAt(i - 1));
            return i;
        }
    }

    private static int named(String s, int i, StringBuilder out) {
        int close = s.indexOf('}', i);
        if (i < s.length() && s.charAt(i) == '{' && close > i) {
            try {
                out.appendCodePoint(Character.codePointOf(s.substring(i + 1, close)));
                return close + 1;
            } catch (IllegalArgumentException ex) {
                // an unknown name is a syntax error in Python; keep the text
            }
        }
        out.append("\\N");
        return i;
    }
}
