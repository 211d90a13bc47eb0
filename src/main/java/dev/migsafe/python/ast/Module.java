package dev.migsafe.python.ast;

import java.util.List;

/**
 * A parsed Python file: its statements, its decoded source (for quoting opaque expressions) and
 * its comments (line, column, text), which suppressions are read from.
 */
public record Module(List<Stmt> body, String source, List<Comment> comments) {

    public record Comment(int line, int column, String text) {}

    /** The source text of a node. */
    public String text(Pos pos) {
        if (pos.start() < 0 || pos.stop() < pos.start() || pos.stop() >= source.length()) {
            return "";
        }
        return source.substring(pos.start(), pos.stop() + 1);
    }
}
