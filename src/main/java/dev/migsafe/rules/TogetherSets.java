package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * unique_together / index_together values as Django normalises them: a list of field-name sets,
 * each in the order written. One flat tuple ("a", "b") is one set; None and an empty display
 * (set(), which the evaluator folds into an empty set) are no sets.
 */
public final class TogetherSets {

    private TogetherSets() {}

    /** The sets, or null when the value (or a name in it) is not a literal. */
    public static List<List<String>> of(Value v) {
        List<List<String>> out = new ArrayList<>();
        if (v == null || v instanceof Value.None) {
            return out;
        }
        List<Value> items = Py.items(v);
        if (items == null) {
            return null;
        }
        if (!items.isEmpty() && items.stream().allMatch(i -> i instanceof Value.Str)) {
            items = List.of(v);
        }
        for (Value item : items) {
            List<Value> names = Py.items(item);
            if (names == null) {
                return null;
            }
            List<String> set = new ArrayList<>();
            for (Value n : names) {
                if (!(n instanceof Value.Str s)) {
                    return null;
                }
                set.add(s.value());
            }
            out.add(set);
        }
        return out;
    }
}
