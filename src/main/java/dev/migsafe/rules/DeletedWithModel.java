package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Targets;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Operations on a model that a later DeleteModel of the same migration drops (makemigrations
 * removes a model's fields and constraints before the model): the rules leave them to the
 * DeleteModel's findings, so on their own they would read as compatible while they take away
 * what old code still selects. They share the DeleteModel's class, and their reason says so.
 */
final class DeletedWithModel {

    private static final Set<String> PARTS = Set.of("RemoveField", "RenameField", "AlterField", "RemoveConstraint",
            "RemoveIndex", "AlterUniqueTogether", "AlterIndexTogether", "AlterOrderWithRespectTo");

    private DeletedWithModel() {}

    static List<OperationVerdict> apply(String app, List<OperationVerdict> ops) {
        List<OperationVerdict> out = new ArrayList<>(ops);
        for (int i = 0; i < out.size(); i++) {
            OperationVerdict v = out.get(i);
            if (v.deployClass() != DeployClass.COMPATIBLE || !v.findings().isEmpty() || v.op().type() == null
                    || !PARTS.contains(v.op().type())) { // type null: an item of `operations` that is not a call
                continue;
            }
            String model = modelName(v.op());
            OperationVerdict deletion = model == null ? null : laterDeletion(out, i, model);
            if (deletion == null || deletion.deployClass() == DeployClass.COMPATIBLE) {
                continue;
            }
            String reason = v.op().type() + " " + Targets.of(app, v.op()) + ": part of deleting " + Targets.of(app, deletion.op())
                    + " (DeleteModel on line " + deletion.op().line() + "), whose verdict it shares";
            out.set(i, new OperationVerdict(v.index(), v.op(), v.target(), deletion.deployClass(), v.reversible(), v.locks(),
                    reason, v.findings()));
        }
        return out;
    }

    private static String modelName(Operation op) {
        boolean byName = op.type().endsWith("Together") || op.type().equals("AlterOrderWithRespectTo");
        Value v = op.arg(0, byName ? "name" : "model_name");
        return v instanceof Value.Str s ? s.value() : null;
    }

    private static OperationVerdict laterDeletion(List<OperationVerdict> ops, int from, String model) {
        for (int j = from + 1; j < ops.size(); j++) {
            Operation op = ops.get(j).op();
            if ("DeleteModel".equals(op.type()) && op.arg(0, "name") instanceof Value.Str s && s.value().equalsIgnoreCase(model)) {
                return ops.get(j);
            }
        }
        return null;
    }
}
