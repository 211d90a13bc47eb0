package dev.migsafe.python;

/**
 * Why a file could not be turned into a syntax tree. {@code rule} is P001 (syntax error, bad
 * encoding), P005 (too large, nested too deeply) or P006 (its content could not be read). Line
 * and column are 1-based; 0 when unknown.
 */
public record SyntaxProblem(String rule, int line, int column, String message) {

    public static final String SYNTAX_ERROR = "P001";
    public static final String INPUT_TOO_LARGE = "P005";
    /** Not a syntax problem: the file's content could not be had (see git's UnreadableFile). */
    public static final String UNREADABLE = "P006";

    public static SyntaxProblem syntax(int line, int column, String message) {
        return new SyntaxProblem(SYNTAX_ERROR, line, column, message);
    }

    public static SyntaxProblem unreadable(String message) {
        return new SyntaxProblem(UNREADABLE, 1, 1, message);
    }

    public static SyntaxProblem tooLarge(int line, int column, String message) {
        return new SyntaxProblem(INPUT_TOO_LARGE, line, column, message);
    }
}
