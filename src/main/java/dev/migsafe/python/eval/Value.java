package dev.migsafe.python.eval;

import java.util.List;
import java.util.Map;

/**
 * What the static evaluator knows about an expression: a literal, a container, a call, a
 * reference to a name, or an opaque expression it cannot resolve (with its source text and the
 * reason). Every value keeps the 1-based line and column where it was written.
 */
public sealed interface Value {

    /**
     * Python's truth value of a literal, or null when {@code v} is not one (a reference, a call,
     * an opaque value): awx writes null='True', which Django reads as true like any non-empty string.
     */
    static Boolean truthOf(Value v) {
        if (v instanceof Bool b) {
            return b.value();
        } else if (v instanceof None) {
            return false;
        } else if (v instanceof Str s) {
            return !s.value().isEmpty();
        } else if (v instanceof Num n) {
            return n.value().doubleValue() != 0;
        } else if (v instanceof ListV l) {
            return !l.items().isEmpty();
        } else if (v instanceof TupleV t) {
            return !t.items().isEmpty();
        }
        return null;
    }


    int line();

    int column();

    /** A str (or bytes, kept as latin-1 text) literal, after concatenation and escapes. */
    record Str(String value, boolean bytes, int line, int column) implements Value {}

    /** An int (BigInteger) or float (Double) literal. */
    record Num(Number value, int line, int column) implements Value {}

    record Bool(boolean value, int line, int column) implements Value {}

    record None(int line, int column) implements Value {}

    record ListV(List<Value> items, int line, int column) implements Value {}

    record TupleV(List<Value> items, int line, int column) implements Value {}

    record SetV(List<Value> items, int line, int column) implements Value {}

    /** A dict display; keys and values in source order. */
    record DictV(List<Value> keys, List<Value> values, int line, int column) implements Value {}

    /**
     * A call. {@code callee} is the qualified name when the callee resolves through the imports
     * (e.g. django.db.migrations.AddField), else its source text. Keyword arguments keep their
     * order; {@code **mapping} arguments become opaque entries of {@code args}.
     */
    record Call(String callee, String calleeSource, List<Value> args, Map<String, Value> kwargs,
                int line, int column) implements Value {

        /** The callee's last name: AddField for django.db.migrations.AddField. */
        public String simpleName() {
            int dot = callee.lastIndexOf('.');
            return dot < 0 ? callee : callee.substring(dot + 1);
        }

        /** A positional argument, or the keyword argument of that name, or null. */
        public Value arg(int position, String keyword) {
            Value v = kwargs.get(keyword);
            if (v == null && position >= 0 && position < args.size()) {
                v = args.get(position);
            }
            return v;
        }
    }

    /**
     * A name or attribute chain. {@code qualified} is resolved through the imports (or names a
     * module-level function or class), null when the root name is unknown.
     */
    record Ref(String source, String qualified, RefKind kind, int line, int column) implements Value {}

    enum RefKind { IMPORT, FUNCTION, CLASS, CLASS_ATTRIBUTE, UNKNOWN }

    /** An expression the evaluator cannot resolve statically. */
    record Opaque(String source, String reason, int line, int column) implements Value {}
}
