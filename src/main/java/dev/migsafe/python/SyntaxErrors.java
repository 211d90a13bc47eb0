package dev.migsafe.python;

import dev.migsafe.python.antlr.PythonLexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Words for syntax errors. ANTLR's "mismatched input ... expecting {...}" means little to a
 * Django developer; these messages say what Python would say, and recognise the Python 2
 * leftovers that real migration folders still contain.
 */
final class SyntaxErrors {

    private SyntaxErrors() {}

    static SyntaxProblem describe(TokenStream tokens, Token t) {
        Token prev = previous(tokens, t);
        if (prev != null && prev.getType() == PythonLexer.NAME && startsStatement(tokens, prev)
                && (prev.getText().equals("print") || prev.getText().equals("exec"))
                && isOperand(t.getType())) {
            return at(prev, "Missing parentheses in call to '" + prev.getText() + "'. Did you mean "
                    + prev.getText() + "(...)?");
        }
        if (prev != null && adjacent(prev, t) && prev.getType() == PythonLexer.NUMBER) {
            if (t.getType() == PythonLexer.NUMBER && prev.getText().matches("0+")) {
                return at(prev, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
            }
            if (t.getType() == PythonLexer.NAME) {
                return at(prev, "invalid decimal literal");
            }
        }
        if (prev != null && adjacent(prev, t) && prev.getType() == PythonLexer.LESS_THAN
                && t.getType() == PythonLexer.GREATER_THAN) {
            return at(prev, "invalid syntax: '<>' is Python 2 syntax; use '!='");
        }
        if (prev != null && prev.getType() == PythonLexer.NEWLINE && t.getType() != PythonLexer.INDENT
                && previous(tokens, prev) != null && previous(tokens, prev).getType() == PythonLexer.COLON) {
            return at(t, "expected an indented block");
        }
        return at(t, switch (t.getType()) {
            case Token.EOF -> "unexpected end of file";
            case PythonLexer.INDENT -> "unexpected indent";
            case PythonLexer.DEDENT -> "unexpected dedent";
            case PythonLexer.NEWLINE -> "invalid syntax: unexpected end of line";
            case PythonLexer.ERROR_CHAR, PythonLexer.ERROR_TRIPLE_QUOTE -> errorChar(t);
            default -> "invalid syntax near '" + shorten(t.getText()) + "'";
        });
    }

    static String errorChar(Token t) {
        String text = t.getText();
        if (t.getType() == PythonLexer.ERROR_TRIPLE_QUOTE) {
            return "unterminated triple-quoted string literal";
        }
        if (text.equals("'") || text.equals("\"")) {
            return "unterminated string literal (detected at line " + t.getLine() + ")";
        }
        if (text.equals("\\")) {
            return "unexpected character after line continuation character";
        }
        if (text.equals("`")) {
            return "invalid syntax: backquotes are Python 2 syntax; use repr()";
        }
        if (text.equals("$") || text.equals("?") || text.equals("!")) {
            return "invalid syntax: unexpected character '" + text + "'";
        }
        return "invalid character '" + text + "' (U+" + String.format("%04X", text.codePointAt(0)) + ")";
    }

    private static SyntaxProblem at(Token t, String message) {
        return SyntaxProblem.syntax(t.getLine(), t.getCharPositionInLine() + 1, message);
    }

    private static Token previous(TokenStream tokens, Token t) {
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token p = tokens.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return p;
            }
        }
        return null;
    }

    private static boolean startsStatement(TokenStream tokens, Token t) {
        Token p = previous(tokens, t);
        return p == null || p.getType() == PythonLexer.NEWLINE || p.getType() == PythonLexer.INDENT
                || p.getType() == PythonLexer.DEDENT || p.getType() == PythonLexer.SEMI_COLON;
    }

    private static boolean isOperand(int type) {
        return type == PythonLexer.STRING || type == PythonLexer.FSTRING || type == PythonLexer.NAME
                || type == PythonLexer.NUMBER;
    }

    private static boolean adjacent(Token a, Token b) {
        return a.getStopIndex() + 1 == b.getStartIndex();
    }

    private static String shorten(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() > 40 ? oneLine.substring(0, 37) + "..." : oneLine;
    }
}
