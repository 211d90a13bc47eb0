package dev.migsafe.python.ast;

/**
 * Where a node stands in its file: 1-based line and column (columns count characters, not
 * bytes), and the node's character range [start, stop] in the decoded source so that opaque
 * expressions can quote their own text.
 */
public record Pos(int line, int column, int start, int stop) {}
