package dev.migsafe.rules;

import dev.migsafe.deployed.DeployedCode;
import dev.migsafe.deployed.Mapping;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Evidence;
import java.util.List;

/**
 * The deployed code's word on a contract step (RemoveField, DeleteModel, RenameField,
 * RenameModel, dropping a database default): when old code no longer maps the column or table,
 * the operation is the second phase of the change and is reported as satisfied (info, compatible)
 * with what was found; when old code still uses it, the finding names where. What the deployed
 * code does not tell (a base class migsafe cannot follow, no deployed side) leaves the finding as
 * the rule wrote it.
 */
public final class OldCodeUses {

    private OldCodeUses() {}

    /**
     * Reports a finding about a column of {@code model}'s table that old code may still map.
     *
     * @param modelClass the model's class name (Order)
     * @param satisfiable whether old code no longer mapping the column makes the step safe
     */
    public static void column(OperationContext ctx, Rule rule, String modelClass, String table, String field,
                              String column, boolean satisfiable, String message, String fix) {
        DeployedCode code = ctx.migration().deployed();
        if (!code.known() || modelClass == null || !knownAtStart(ctx, field, column)) {
            ctx.report(rule, message, fix);
            return;
        }
        Mapping mapping = code.column(ctx.app(), modelClass, table, field, column);
        if (satisfiable && mapping.released()) {
            satisfied(ctx, rule, code, mapping, message);
            return;
        }
        ctx.report(rule, rule.info().deployClass(), message, fix, code.usesOfField(mapping, ctx.app(), modelClass, field));
    }

    /** Reports a finding about a table old code may still map (DeleteModel, RenameModel). */
    public static void table(OperationContext ctx, Rule rule, String modelClass, String table, String message, String fix) {
        DeployedCode code = ctx.migration().deployed();
        if (!code.known() || modelClass == null || ctx.migration().oldCode().table(table) == null) {
            ctx.report(rule, message, fix); // a table the range renamed: old code knows it by another name
            return;
        }
        Mapping mapping = code.table(ctx.app(), modelClass, table);
        if (mapping.released()) {
            satisfied(ctx, rule, code, mapping, message);
            return;
        }
        List<Evidence> evidence = new java.util.ArrayList<>();
        if (mapping.where() != null) {
            evidence.add(mapping.where());
            evidence.addAll(mapping.also()); // a mapped table comes with its relations and uses
            if (mapping.state() == Mapping.State.UNKNOWN) {
                evidence.addAll(code.usesOfModel(ctx.app(), modelClass)); // declared where its table cannot be told
            }
        }
        ctx.report(rule, rule.info().deployClass(), message, fix, evidence);
    }

    /**
     * Whether old code knew this column (or many-to-many field) by this name when the range began:
     * one the range renamed is known to old code by its former name, which the deployed models are
     * not asked about (the rename's own finding speaks for it).
     */
    private static boolean knownAtStart(OperationContext ctx, String field, String column) {
        dev.migsafe.state.ModelState m = ctx.targetModel();
        if (m == null) {
            return false;
        }
        if (column != null) {
            return ctx.migration().oldCode().column(m.key(), column) != null;
        }
        dev.migsafe.state.ModelState old = ctx.migration().oldCode().model(m.key());
        return old != null && old.fields().containsKey(field.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Reports the drop of a database default that old code's INSERTs may rely on: satisfied when
     * the deployed model gives the field a Python default and no db_default (Django then sends the
     * value on every INSERT), else as the rule wrote it.
     */
    public static void defaultSent(OperationContext ctx, Rule rule, String modelClass, String table, String field,
                                   String column, String message, String fix) {
        DeployedCode code = ctx.migration().deployed();
        Mapping mapping = code.known() && modelClass != null
                ? code.column(ctx.app(), modelClass, table, field, column) : null;
        if (mapping != null && mapping.state() == Mapping.State.MAPPED && mapping.field().hasDefault()
                && !mapping.field().hasDbDefault()) {
            satisfied(ctx, rule, code, new Mapping(Mapping.State.MAPPED, "gives " + modelClass + "." + field
                    + " a Python default and no db_default (" + mapping.where().where()
                    + "), so its INSERTs always send a value", mapping.where(), mapping.field()), message);
            return;
        }
        ctx.report(rule, message, fix);
    }

    private static void satisfied(OperationContext ctx, Rule rule, DeployedCode code, Mapping mapping, String message) {
        ctx.report(rule, DeployClass.COMPATIBLE, "satisfied: " + code.name() + " " + mapping.detail()
                        + ": this is the second release of the change (" + message + ")",
                "Nothing to do: the release that stopped using it is already deployed. If some site still runs older "
                        + "code, ship this after that release reaches it.",
                mapping.where() == null ? List.of() : List.of(mapping.where()));
    }
}
