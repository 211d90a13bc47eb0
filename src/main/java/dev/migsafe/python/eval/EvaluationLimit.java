package dev.migsafe.python.eval;

/**
 * The static evaluator stopped because a file asked it to build more than any real migration
 * does: `L1 = L0 + L0` twenty times over is a kilobyte of source and millions of values. The
 * reader reports the file as not statically resolvable (P003) instead of running out of memory.
 */
public final class EvaluationLimit extends RuntimeException {

    private final int line;
    private final int column;

    public EvaluationLimit(String message, int line, int column) {
        super(message, null, false, false); // thrown on purpose: no stack trace to fill
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
