package dev.migsafe.rules.compat;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Operators;
import dev.migsafe.rules.Py;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a CHECK condition only restates a field's choices: an OR of `field__in=[...]`,
 * `field=value` / `field__exact=value` and `field__isnull=True` terms on one field whose values
 * cover every choice old code knew. Such a CHECK rejects nothing old code writes through
 * validation (C110's documentation says why that is enough).
 */
final class ChoicesCheck {

    private ChoicesCheck() {}

    /** One term of the OR: a lookup (field__in, field, field__exact, field__isnull) and its value. */
    private record Term(String lookup, Value value) {}

    static boolean restatesChoices(OperationContext ctx, Value condition) {
        List<Term> terms = new ArrayList<>();
        if (condition == null || !orTerms(ctx, condition, terms, 0) || terms.isEmpty()) {
            return false;
        }
        String field = null;
        Set<String> allowed = new HashSet<>();
        for (Term t : terms) {
            String[] parts = t.lookup().split("__");
            if (parts.length > 2) {
                return false; // a relation's field or a transform (status__lower__in)
            }
            String lookup = parts.length == 2 ? parts[1] : "exact";
            if (field != null && !field.equals(parts[0])) {
                return false;
            }
            field = parts[0];
            switch (lookup) {
                case "in" -> {
                    List<Value> items = Py.items(t.value());
                    if (items == null) {
                        return false;
                    }
                    for (Value item : items) {
                        String k = key(item);
                        if (k == null) {
                            return false;
                        }
                        allowed.add(k);
                    }
                }
                case "exact" -> {
                    String k = key(t.value());
                    if (k == null) {
                        return false;
                    }
                    allowed.add(k);
                }
                case "isnull" -> {
                    if (!(t.value() instanceof Value.Bool b) || !b.value()) {
                        return false; // isnull=False demands a value: old code may write NULL
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        Set<String> choices = oldChoices(ctx, field);
        return choices != null && !choices.isEmpty() && allowed.containsAll(choices);
    }

    /** Collects the terms of an OR (a Q with one keyword, a Q of tuples with _connector="OR", or a | b). */
    private static boolean orTerms(OperationContext ctx, Value v, List<Term> out, int depth) {
        if (depth > 20) {
            return false;
        }
        if (v instanceof Value.Opaque) {
            Operators.Split split = Operators.of(v, ctx.migration().file());
            if (split == null || !split.op().equals("|")) {
                return false;
            }
            for (Value operand : split.operands()) {
                if (!orTerms(ctx, operand, out, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (!(v instanceof Value.Call c) || !c.simpleName().equals("Q")) {
            return false;
        }
        Value negated = c.kwargs().get("_negated");
        if (negated != null && !(negated instanceof Value.Bool b && !b.value())) {
            return false;
        }
        Value connector = c.kwargs().get("_connector");
        int terms = c.args().size() + (int) c.kwargs().keySet().stream().filter(k -> !k.startsWith("_")).count();
        boolean or = connector instanceof Value.Str s && s.value().equals("OR");
        if (terms != 1 && !or) {
            return false; // AND of several terms: a narrower condition
        }
        if (connector != null && !(connector instanceof Value.Str)) {
            return false;
        }
        for (Value arg : c.args()) {
            if (arg instanceof Value.TupleV t && t.items().size() == 2 && t.items().get(0) instanceof Value.Str k) {
                out.add(new Term(k.value(), t.items().get(1)));
            } else if (!orTerms(ctx, arg, out, depth + 1)) {
                return false; // a nested Q joined by OR
            }
        }
        for (Map.Entry<String, Value> e : c.kwargs().entrySet()) {
            if (!e.getKey().startsWith("_")) {
                out.add(new Term(e.getKey(), e.getValue()));
            }
        }
        return true;
    }

    /**
     * The choices old code knew for the field: those of the state before this operation, and of the
     * state before every earlier operation of this migration on the same model (an AlterField there
     * may have changed them). Null when the field or its choices cannot be read.
     */
    private static Set<String> oldChoices(OperationContext ctx, String field) {
        List<ModelState> states = new ArrayList<>();
        states.add(ctx.targetModel());
        for (int i = 0; i < ctx.index(); i++) {
            ModelState before = ctx.migration().modelBefore(i);
            if (before != null && ctx.targetModel() != null && before.name().equalsIgnoreCase(ctx.targetModel().name())
                    && before.app().equals(ctx.targetModel().app())) {
                states.add(before);
            }
        }
        Set<String> out = new HashSet<>();
        for (ModelState m : states) {
            Field f = m == null ? null : m.field(field);
            if (f == null || !f.has("choices") || f.isRelation()) {
                return null;
            }
            if (!flatten(f.kw("choices"), out)) {
                return null;
            }
        }
        return out;
    }

    /** The values of a field's literal choices (named groups included), as {@link #key} gives them; null when it has none or they are not literal. */
    static Set<String> values(Field f) {
        Set<String> out = new HashSet<>();
        return f != null && f.has("choices") && flatten(f.kw("choices"), out) && !out.isEmpty() ? out : null;
    }

    /** Adds the values of a literal choices list, named groups included; false when not literal. */
    private static boolean flatten(Value choices, Set<String> out) {
        List<Value> items = Py.items(choices);
        if (items == null) {
            return false;
        }
        for (Value item : items) {
            List<Value> pair = Py.items(item);
            if (pair == null || pair.size() != 2) {
                return false;
            }
            List<Value> group = Py.items(pair.get(1));
            if (group != null) {
                if (!flatten(pair.get(1), out)) {
                    return false;
                }
                continue;
            }
            String k = key(pair.get(0));
            if (k == null) {
                return false;
            }
            out.add(k);
        }
        return true;
    }

    /**
     * A value as Django would compare it after converting it to the field's type, as a query does:
     * "1" and 1 are the same for an IntegerField. Null for a value that is not a literal.
     */
    private static String key(Value v) {
        if (v instanceof Value.Str s) {
            return s.value();
        }
        if (v instanceof Value.Num n) {
            return n.value() instanceof BigInteger ? n.value().toString() : Double.toString(n.value().doubleValue());
        }
        if (v instanceof Value.Bool b) {
            return b.value() ? "True" : "False";
        }
        return null;
    }
}
