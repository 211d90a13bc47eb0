package dev.migsafe.cli;

/** Exit codes, as PRODUCT.md defines them. */
final class ExitCodes {

    /** Nothing at or above the failure threshold. */
    static final int OK = 0;
    /** Findings at or above the threshold (for parse: some file could not be parsed). */
    static final int FINDINGS = 1;
    /** Usage, configuration or repository error. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
