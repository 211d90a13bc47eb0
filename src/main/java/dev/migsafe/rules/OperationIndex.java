package dev.migsafe.rules;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A migration's top-level operations by what they concern, so that a rule asking "does a later
 * operation drop this field?" reads the few operations that can answer instead of all of them:
 * with one scan per operation, a migration of 100,000 AddFields would cost 10^10 steps.
 * An operation concerns a field when it is a field operation of that model naming the field
 * (name, old_name or new_name); it concerns every field of a model when it is a model-level
 * operation of that model (DeleteModel, RenameModel, AddConstraint, ...); and it concerns
 * everything when migsafe cannot tell what it touches (RunPython, RunSQL,
 * SeparateDatabaseAndState, custom operations, unreadable ones).
 */
final class OperationIndex {

    private static final int[] NONE = new int[0];

    private final List<Operation> ops;
    private final int[] anything;
    private final Map<String, int[]> byModel;
    private final Map<String, int[]> byField;
    /** "DeleteModel model" and "RenameModel old_name" -> the last such operation's index. */
    private final Map<String, Integer> lastDropOrRename = new HashMap<>();

    OperationIndex(List<Operation> ops) {
        this.ops = ops;
        List<Integer> all = new ArrayList<>();
        Map<String, List<Integer>> models = new HashMap<>();
        Map<String, List<Integer>> fields = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            String type = op.type() == null ? "" : op.type();
            if (type.equals("DeleteModel") && lower(op.arg(0, "name")) != null) {
                lastDropOrRename.put("DeleteModel " + lower(op.arg(0, "name")), i);
            } else if (type.equals("RenameModel") && lower(op.arg(0, "old_name")) != null) {
                lastDropOrRename.put("RenameModel " + lower(op.arg(0, "old_name")), i);
            }
            switch (type) {
                case "AddField", "AlterField", "RemoveField" -> {
                    if (!addField(fields, op, i, op.arg(0, "model_name"), op.arg(1, "name"))) {
                        all.add(i);
                    }
                }
                case "RenameField" -> {
                    boolean known = addField(fields, op, i, op.arg(0, "model_name"), op.arg(1, "old_name"));
                    known &= addField(fields, op, i, op.arg(0, "model_name"), op.arg(2, "new_name"));
                    if (!known) {
                        all.add(i);
                    }
                }
                case "RenameModel" -> {
                    boolean known = add(models, lower(op.arg(0, "old_name")), i);
                    known &= add(models, lower(op.arg(1, "new_name")), i);
                    if (!known) {
                        all.add(i);
                    }
                }
                case "CreateModel", "DeleteModel", "AlterModelTable", "AlterModelOptions", "AlterModelManagers",
                        "AlterModelTableComment", "AlterUniqueTogether", "AlterIndexTogether", "AlterOrderWithRespectTo" -> {
                    if (!add(models, lower(op.arg(0, "name")), i)) {
                        all.add(i);
                    }
                }
                case "AddIndex", "RemoveIndex", "AddConstraint", "RemoveConstraint", "AddIndexConcurrently",
                        "RemoveIndexConcurrently", "RenameIndex", "AddConstraintNotValid", "ValidateConstraint",
                        "AlterConstraint" -> {
                    if (!add(models, lower(op.arg(0, "model_name")), i)) {
                        all.add(i);
                    }
                }
                default -> all.add(i);
            }
        }
        this.anything = toArray(all);
        this.byModel = frozen(models);
        this.byField = frozen(fields);
    }

    /**
     * The operations in [{@code from}, {@code to}) that may concern {@code field} of {@code model},
     * in order; with a null {@code field}, those that may concern the model as a whole (its
     * model-level operations and the unknown ones, no field operations).
     */
    List<Operation> concerning(String model, String field, int from, int to) {
        String m = model == null ? null : model.toLowerCase(Locale.ROOT);
        int[] a = anything;
        int[] b = m == null ? NONE : byModel.getOrDefault(m, NONE);
        int[] c = m == null || field == null ? NONE : byField.getOrDefault(m + "." + field.toLowerCase(Locale.ROOT), NONE);
        List<Operation> out = new ArrayList<>();
        int i = start(a, from);
        int j = start(b, from);
        int k = start(c, from);
        int last = -1;
        while (true) {
            int next = Integer.MAX_VALUE;
            if (i < a.length && a[i] < to) {
                next = a[i];
            }
            if (j < b.length && b[j] < to) {
                next = Math.min(next, b[j]);
            }
            if (k < c.length && c[k] < to) {
                next = Math.min(next, c[k]);
            }
            if (next == Integer.MAX_VALUE) {
                return out;
            }
            if (next != last) {
                out.add(ops.get(next));
                last = next;
            }
            if (i < a.length && a[i] == next) {
                i++;
            }
            if (j < b.length && b[j] == next) {
                j++;
            }
            if (k < c.length && c[k] == next) {
                k++;
            }
        }
    }

    /** The index of the last DeleteModel (or RenameModel away) of {@code model}, or -1. */
    int lastOf(String type, String model) {
        return model == null ? -1 : lastDropOrRename.getOrDefault(type + " " + model.toLowerCase(Locale.ROOT), -1);
    }

    /** Field operations are indexed under "model.field". */
    private static boolean addField(Map<String, List<Integer>> fields, Operation op, int i, Value model, Value field) {
        String m = lower(model);
        String f = lower(field);
        return m != null && f != null && add(fields, m + "." + f, i);
    }

    private static boolean add(Map<String, List<Integer>> map, String key, int i) {
        if (key == null) {
            return false;
        }
        List<Integer> list = map.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.isEmpty() || list.get(list.size() - 1).intValue() != i) {
            list.add(i);
        }
        return true;
    }

    private static String lower(Value v) {
        return v instanceof Value.Str s ? s.value().toLowerCase(Locale.ROOT) : null;
    }

    private static int start(int[] sorted, int from) {
        int p = Arrays.binarySearch(sorted, from);
        return p >= 0 ? p : -p - 1;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, int[]> frozen(Map<String, List<Integer>> map) {
        Map<String, int[]> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k, toArray(v)));
        return out;
    }
}
