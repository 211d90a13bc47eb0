package dev.migsafe.migration;

/**
 * A problem found while reading a file into the migration model (rules P001-P006). Line and
 * column are 1-based.
 */
public record Diagnostic(String rule, int line, int column, String message) {

    public static final String SYNTAX_ERROR = "P001";
    public static final String NOT_A_MIGRATION = "P002";
    public static final String DYNAMIC = "P003";
    public static final String TOO_LARGE = "P005";
    public static final String UNREADABLE = "P006";
}
