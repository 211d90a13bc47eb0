package dev.migsafe.python.ast;

import java.math.BigInteger;
import java.util.List;

/**
 * Python expressions as migsafe needs them: the node kinds the static evaluator resolves have
 * their own records; everything else is {@link Other}, which keeps its kind and its direct
 * sub-expressions so that rules can still look inside (for example at the calls inside a
 * comprehension in a RunPython function).
 */
public sealed interface Expr {

    Pos pos();

    record Name(Pos pos, String id) implements Expr {}

    record Attribute(Pos pos, Expr value, String attr) implements Expr {}

    /** A keyword argument; name is null for {@code **mapping}. */
    record Keyword(Pos pos, String name, Expr value) {}

    record Call(Pos pos, Expr func, List<Expr> args, List<Keyword> keywords) implements Expr {}

    /** A str or bytes literal after implicit concatenation and escape decoding. */
    record Str(Pos pos, String value, boolean bytes) implements Expr {}

    /** An f-string (or a concatenation containing one): its value is only known at run time. */
    record FString(Pos pos) implements Expr {}

    /** An int literal; float and complex literals keep their text. */
    record Int(Pos pos, BigInteger value) implements Expr {}

    record Float(Pos pos, double value) implements Expr {}

    record Imaginary(Pos pos, String text) implements Expr {}

    /** True, False, None and the Ellipsis literal. */
    record Constant(Pos pos, Kind kind) implements Expr {
        public enum Kind { TRUE, FALSE, NONE, ELLIPSIS }
    }

    record ListExpr(Pos pos, List<Expr> elts) implements Expr {}

    record TupleExpr(Pos pos, List<Expr> elts) implements Expr {}

    record SetExpr(Pos pos, List<Expr> elts) implements Expr {}

    /** A dict display; a null key marks a {@code **mapping} entry. */
    record DictExpr(Pos pos, List<Expr> keys, List<Expr> values) implements Expr {}

    record Starred(Pos pos, Expr value) implements Expr {}

    record BinOp(Pos pos, Expr left, String op, Expr right) implements Expr {}

    record UnaryOp(Pos pos, String op, Expr operand) implements Expr {}

    record Subscript(Pos pos, Expr value, List<Expr> index) implements Expr {}

    record Lambda(Pos pos, List<Param> params, Expr body) implements Expr {}

    /**
     * Any other expression: boolean operators, comparisons, conditional expressions, slices,
     * comprehensions, await, yield, walrus. {@code kind} names it as Python's ast does
     * ("Compare", "IfExp", "ListComp", "NamedExpr", ...), with "And"/"Or" for BoolOp.
     */
    record Other(Pos pos, String kind, List<Expr> children) implements Expr {}
}
