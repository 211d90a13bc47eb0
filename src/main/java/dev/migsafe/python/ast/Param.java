package dev.migsafe.python.ast;

/** A function or lambda parameter. */
public record Param(Pos pos, String name, Kind kind, Expr annotation, Expr defaultValue) {

    public enum Kind { POSITIONAL_ONLY, POSITIONAL, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD }
}
