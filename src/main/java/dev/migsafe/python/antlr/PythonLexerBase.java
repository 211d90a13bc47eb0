package dev.migsafe.python.antlr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Pair;

/**
 * Turns the raw token stream of {@link PythonLexer} into Python's logical lines: NEWLINE only
 * where a statement ends (never inside brackets, never for blank or comment-only lines), INDENT
 * and DEDENT where indentation changes, and a final NEWLINE plus DEDENTs at end of file (so a
 * file without a final newline parses). It also scans f-strings (see {@link #scanFString()}).
 *
 * Problems Python reports as IndentationError or as unterminated literals are collected in
 * {@link #problems()} instead of being thrown; the parser driver turns them into P001.
 */
public abstract class PythonLexerBase extends Lexer {

    /** A problem found while lexing; column is 1-based; tooDeep marks nesting limits (P005). */
    public record Problem(int line, int column, String message, boolean tooDeep) {
        Problem(int line, int column, String message) {
            this(line, column, message, false);
        }
    }

    /** CPython's tokenizer limits (MAXLEVEL, MAXINDENT): deeper files are not valid Python. */
    private static final int MAX_BRACKETS = 200;
    private static final int MAX_INDENTS = 100;

    /** Tab stops are every 8 columns, as in CPython's tokenizer. */
    private static final int TAB_SIZE = 8;

    private final Deque<Token> pending = new ArrayDeque<>();
    private final List<Problem> problems = new ArrayList<>();
    private int[] indents = new int[16];
    /** The same indentation measured with tabs as one column: CPython's check for tab/space mixing. */
    private int[] altIndents = new int[16];
    private int indentDepth;
    private int bracketDepth;
    private final Deque<Token> openBrackets = new ArrayDeque<>();
    private int lastType = -1;

    protected PythonLexerBase(CharStream input) {
        super(input);
    }

    public List<Problem> problems() {
        return problems;
    }

    @Override
    public void reset() {
        super.reset();
        pending.clear();
        problems.clear();
        indentDepth = 0;
        bracketDepth = 0;
        openBrackets.clear();
        lastType = -1;
    }

    @Override
    public Token nextToken() {
        while (pending.isEmpty()) {
            handle(super.nextToken());
        }
        return pending.poll();
    }

    private void handle(Token token) {
        switch (token.getType()) {
            case PythonLexer.OPEN_PAREN, PythonLexer.OPEN_BRACK, PythonLexer.OPEN_BRACE -> {
                bracketDepth++;
                openBrackets.push(token);
                if (bracketDepth == MAX_BRACKETS + 1) {
                    problems.add(new Problem(token.getLine(), token.getCharPositionInLine() + 1,
                            "too many nested parentheses (Python allows " + MAX_BRACKETS + ")", true));
                }
                push(token);
            }
            case PythonLexer.CLOSE_PAREN, PythonLexer.CLOSE_BRACK, PythonLexer.CLOSE_BRACE -> {
                if (bracketDepth == 0) {
                    problems.add(new Problem(token.getLine(), token.getCharPositionInLine() + 1,
                            "unmatched '" + token.getText() + "'"));
                } else {
                    Token open = openBrackets.peek();
                    if (!matches(open.getText(), token.getText())) {
                        problems.add(new Problem(token.getLine(), token.getCharPositionInLine() + 1,
                                "closing parenthesis '" + token.getText() + "' does not match opening parenthesis '"
                                        + open.getText() + "'" + (open.getLine() != token.getLine()
                                        ? " on line " + open.getLine() : "")));
                    }
                    bracketDepth--;
                    openBrackets.pop();
                }
                push(token);
            }
            case PythonLexer.NEWLINE -> onNewline(token);
            case Token.EOF -> onEof(token);
            default -> {
                if (token.getChannel() != Token.DEFAULT_CHANNEL) {
                    pending.add(token);
                    return;
                }
                if (lastType == -1 && token.getCharPositionInLine() > 0) {
                    problems.add(new Problem(token.getLine(), 1, "unexpected indent"));
                }
                push(token);
            }
        }
    }

    private static boolean matches(String open, String close) {
        return (open.equals("(") && close.equals(")")) || (open.equals("[") && close.equals("]"))
                || (open.equals("{") && close.equals("}"));
    }

    private void push(Token token) {
        lastType = token.getType();
        pending.add(token);
    }

    private void onNewline(Token token) {
        int next = _input.LA(1);
        boolean blankLine = next == '\r' || next == '\n' || next == '#' || next == CharStream.EOF;
        if (bracketDepth > 0 || blankLine || lastType == -1 || lastType == PythonLexer.NEWLINE) {
            // Not a logical line end (the logical NEWLINE was already emitted, or this line is blank).
            // A line starting after the NEWLINE still fixes the indentation of the next statement,
            // so only lines with content reach the indentation logic below.
            if (!blankLine && bracketDepth == 0 && lastType == PythonLexer.NEWLINE) {
                indentTo(indentation(token.getText()), token);
            }
            return;
        }
        push(synthetic(PythonLexer.NEWLINE, "\n", token.getStartIndex(), token.getStartIndex(),
                token.getLine(), token.getCharPositionInLine()));
        indentTo(indentation(token.getText()), token);
    }

    private void indentTo(int width, Token newline) {
        int line = newline.getLine() + 1;
        int start = newline.getStopIndex() + 1;
        int current = indents[indentDepth];
        int alt = altIndentation(newline.getText());
        boolean consistent = Integer.compare(width, current) == Integer.compare(alt, altIndents[indentDepth]);
        if (!consistent || (width < current && !dedentConsistent(width, alt))) {
            problems.add(new Problem(line, 1, "inconsistent use of tabs and spaces in indentation"));
        }
        if (width > current) {
            if (indentDepth + 1 == indents.length) {
                indents = java.util.Arrays.copyOf(indents, indents.length * 2);
                altIndents = java.util.Arrays.copyOf(altIndents, altIndents.length * 2);
            }
            altIndents[indentDepth + 1] = alt;
            indents[++indentDepth] = width;
            if (indentDepth == MAX_INDENTS + 1) {
                problems.add(new Problem(line, width + 1,
                        "too many levels of indentation (Python allows " + MAX_INDENTS + ")", true));
            }
            push(synthetic(PythonLexer.INDENT, "<INDENT>", start, start - 1, line, 0));
            return;
        }
        while (width < indents[indentDepth]) {
            indentDepth--;
            push(synthetic(PythonLexer.DEDENT, "<DEDENT>", start, start - 1, line, 0));
        }
        if (width != indents[indentDepth]) {
            problems.add(new Problem(line, width + 1, "unindent does not match any outer indentation level"));
        }
    }

    private void onEof(Token eof) {
        if (!openBrackets.isEmpty()) {
            Token open = openBrackets.peek();
            problems.add(new Problem(open.getLine(), open.getCharPositionInLine() + 1,
                    "'" + open.getText() + "' was never closed"));
        }
        if (lastType != -1 && lastType != PythonLexer.NEWLINE) {
            push(synthetic(PythonLexer.NEWLINE, "\n", eof.getStartIndex(), eof.getStartIndex() - 1,
                    eof.getLine(), eof.getCharPositionInLine()));
        }
        while (indentDepth > 0) {
            indentDepth--;
            push(synthetic(PythonLexer.DEDENT, "<DEDENT>", eof.getStartIndex(), eof.getStartIndex() - 1,
                    eof.getLine(), eof.getCharPositionInLine()));
        }
        push(eof);
    }

    /** When dedenting to a level on the stack, both measures must land on the same level. */
    private boolean dedentConsistent(int width, int alt) {
        for (int i = indentDepth; i >= 0; i--) {
            if (indents[i] == width) {
                return altIndents[i] == alt;
            }
        }
        return true; // not on the stack: reported as an unindent mismatch
    }

    /** Indentation width with a tab counting as one column. */
    private static int altIndentation(String newlineText) {
        int width = 0;
        for (int i = 0; i < newlineText.length(); i++) {
            char c = newlineText.charAt(i);
            if (c == ' ' || c == '\t') {
                width++;
            } else if (c == '\f') {
                width = 0;
            }
        }
        return width;
    }

    /** Width of the indentation that follows the line break at the start of a NEWLINE token. */
    private static int indentation(String newlineText) {
        int width = 0;
        for (int i = 0; i < newlineText.length(); i++) {
            switch (newlineText.charAt(i)) {
                case ' ' -> width++;
                case '\t' -> width = (width / TAB_SIZE + 1) * TAB_SIZE;
                case '\f' -> width = 0;
                default -> { } // the line break itself
            }
        }
        return width;
    }

    private Token synthetic(int type, String text, int start, int stop, int line, int column) {
        CommonToken token = new CommonToken(new Pair<>(this, _input), type, Token.DEFAULT_CHANNEL, start, stop);
        token.setText(text);
        token.setLine(line);
        token.setCharPositionInLine(column);
        return token;
    }

    // ---------------------------------------------------------------- f-strings

    /**
     * Called by the FSTRING rule after it matched the prefix and the opening quote(s): consumes
     * the rest of the literal. Replacement fields may hold any expression, including strings with
     * the same quote (PEP 701) and nested f-strings, so quotes inside braces do not end the literal.
     */
    protected void scanFString() {
        String text = getText();
        int quote = text.charAt(text.length() - 1);
        boolean triple = text.length() >= 3 && text.charAt(text.length() - 2) == quote
                && text.charAt(text.length() - 3) == quote;
        boolean raw = text.indexOf('r') >= 0 || text.indexOf('R') >= 0;
        if (!scanFStringBody(quote, triple, raw)) {
            problems.add(new Problem(_tokenStartLine, _tokenStartCharPositionInLine + 1,
                    "unterminated f-string literal (detected at line " + getLine() + ")"));
        }
    }

    private int la(int i) {
        return _input.LA(i);
    }

    private void advance() {
        getInterpreter().consume(_input);
    }

    private boolean atClosingQuote(int quote, boolean triple) {
        return la(1) == quote && (!triple || (la(2) == quote && la(3) == quote));
    }

    private void consumeQuote(boolean triple) {
        advance();
        if (triple) {
            advance();
            advance();
        }
    }

    /** Scans literal text up to and including the closing quote; false at end of input. */
    private boolean scanFStringBody(int quote, boolean triple, boolean raw) {
        while (true) {
            int c = la(1);
            if (c == CharStream.EOF || (!triple && (c == '\n' || c == '\r'))) {
                return false;
            }
            if (atClosingQuote(quote, triple)) {
                consumeQuote(triple);
                return true;
            }
            advance();
            if (c == '\\') {
                // \N{NAME} is a named character, not a replacement field.
                if (!raw && la(1) == 'N' && la(2) == '{') {
                    while (la(1) != '}' && la(1) != CharStream.EOF) {
                        advance();
                    }
                }
                // A backslash keeps the next character from closing the literal, but braces
                // after it still open or escape a field (f'\{x}' has a field).
                if (la(1) != CharStream.EOF && la(1) != '{' && la(1) != '}') {
                    advance();
                }
            } else if (c == '{') {
                if (la(1) == '{') {
                    advance();
                } else if (!scanReplacementField(quote, triple)) {
                    return false;
                }
            }
        }
    }

    /** Scans a replacement field after its '{' up to and including its '}'. */
    private boolean scanReplacementField(int quote, boolean triple) {
        int depth = 0;
        StringBuilder word = new StringBuilder();
        while (true) {
            int c = la(1);
            if (c == CharStream.EOF) {
                return false;
            }
            if (c == '\'' || c == '"') {
                String prefix = word.toString().toLowerCase();
                word.setLength(0);
                if (!scanNestedString(prefix)) {
                    return false;
                }
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                word.appendCodePoint(c);
            } else {
                word.setLength(0);
            }
            if (c == '#') {
                while (la(1) != '\n' && la(1) != '\r' && la(1) != CharStream.EOF) {
                    advance();
                }
                continue;
            }
            advance();
            switch (c) {
                case '(', '[', '{' -> depth++;
                case ')', ']' -> depth--;
                case '}' -> {
                    if (depth == 0) {
                        return true;
                    }
                    depth--;
                }
                case '!' -> {
                    if (depth == 0 && la(1) != '=') {
                        advance(); // conversion character: r, s or a
                    }
                }
                case ':' -> {
                    if (depth == 0 && la(1) != '=') {
                        return scanFormatSpec(quote, triple);
                    }
                }
                default -> { }
            }
        }
    }

    /** Format spec after ':' up to and including the field's '}'; may hold nested fields. */
    private boolean scanFormatSpec(int quote, boolean triple) {
        while (true) {
            int c = la(1);
            if (c == CharStream.EOF || atClosingQuote(quote, triple)) {
                return false;
            }
            advance();
            if (c == '}') {
                return true;
            }
            if (c == '{' && !scanReplacementField(quote, triple)) {
                return false;
            }
        }
    }

    /** A string literal inside a replacement field; prefix is the word just before its quote. */
    private boolean scanNestedString(String prefix) {
        boolean isPrefix = prefix.length() <= 2 && prefix.chars().allMatch(ch -> "rbuft".indexOf(ch) >= 0);
        boolean fstring = isPrefix && (prefix.indexOf('f') >= 0 || prefix.indexOf('t') >= 0);
        boolean raw = isPrefix && prefix.indexOf('r') >= 0;
        int quote = la(1);
        boolean triple = la(2) == quote && la(3) == quote;
        consumeQuote(triple);
        if (fstring) {
            return scanFStringBody(quote, triple, raw);
        }
        while (true) {
            int c = la(1);
            if (c == CharStream.EOF || (!triple && (c == '\n' || c == '\r'))) {
                return false;
            }
            if (atClosingQuote(quote, triple)) {
                consumeQuote(triple);
                return true;
            }
            advance();
            if (c == '\\' && la(1) != CharStream.EOF) {
                advance();
            }
        }
    }
}
