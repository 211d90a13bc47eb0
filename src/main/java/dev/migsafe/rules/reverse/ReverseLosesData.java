package dev.migsafe.rules.reverse;

import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;

/**
 * R304: DeleteModel and RemoveField: the reverse recreates the table or column empty (or filled
 * with the default), so a rollback loses what it held. Not reported for models without DDL
 * (unmanaged, proxy), for tables created in the analysed range (their rows never outlived the
 * release that created them), or for fields without stored data (GenericForeignKey,
 * GenericRelation, GeneratedField).
 */
public final class ReverseLosesData extends OperationRule implements JudgesSql {

    public ReverseLosesData() {
        super(RuleInfo.of("R304", "reverse-loses-data", Severity.INFO)
                .reversibility(Reversibility.LOSSY)
                .summary("DeleteModel / RemoveField: migrating back recreates the table or column empty.")
                .why("""
                        Django can unapply a DeleteModel or RemoveField, but only the structure comes back:
                        the reverse creates an empty table, or a column holding its default (or NULL) in every
                        row. A rollback after this migration therefore looks successful while the data is gone;
                        only a backup brings it back.""")
                .example("""
                        migrations.RemoveField(model_name="order", name="note")""")
                .instead("""
                        Keep the data until a rollback past this release is out of the question: first remove
                        the field or model from Django's state only, leaving the column or table in place,
                            migrations.SeparateDatabaseAndState(
                                state_operations=[migrations.RemoveField(model_name="order", name="note")],
                            )
                        (a NOT NULL column must become nullable first), and drop it in a later release. Or
                        take a backup of the table before deploying.""")
                .others("""
                        django-migration-linter reports dropping a column or table as backward incompatible and
                        mentions restoring a backup on rollback; strong_migrations asks to ignore the column in
                        code before removing it. Both judge the forward deploy; migsafe's R304 is only about
                        the rollback, as information (the compatibility side is C102 / C107)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if ("DeleteModel".equals(ctx.type())) {
            deleteModel(ctx);
        } else if ("RemoveField".equals(ctx.type()) && !ctx.modelDeletedLater()) {
            removeField(ctx);
        }
    }

    private void deleteModel(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m == null) {
            ctx.reportUnknown(this, "DeleteModel " + ctx.modelLabel() + ": the replayed state does not know the model, "
                    + "so whether it drops a table (and its rows) cannot be told", "check that " + ctx.table()
                    + " is backed up before relying on `migrate " + ctx.app() + "` backwards");
            return;
        }
        if (!m.hasTable() || ctx.createdInRange(m)) {
            return;
        }
        ctx.report(this, "DeleteModel " + m.label() + " drops " + m.table() + ": migrating back recreates it empty, "
                        + "so every row is lost unless restored from a backup",
                "release N: remove " + m.name() + " from the state only (SeparateDatabaseAndState(state_operations="
                        + "[migrations.DeleteModel(\"" + m.name() + "\")])), keeping " + m.table() + " and its rows; "
                        + "release N+1, once rolling back is out of the question: drop it (migrations.RunSQL(\"DROP TABLE "
                        + m.table() + "\")). Or back up "
                        + m.table() + " before deploying");
    }

    private void removeField(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m == null || !m.hasTable() || ctx.createdInRange(m)) {
            return; // an unknown model: R303 already says the state is unknown on this line
        }
        String name = ctx.str(1, "name");
        Field f = ctx.oldField();
        if (f != null && (!f.hasColumn() && !f.isManyToMany() || f.simpleClass().equals("GeneratedField"))) {
            return; // no stored data: a virtual field, or a column the database computes again
        }
        if (f != null && f.isManyToMany() && f.has("through")) {
            return; // an explicit through model keeps the rows: removing the field runs no SQL
        }
        String label = ctx.modelLabel() + "." + name;
        String what = f != null && f.isManyToMany() ? "drops the join table of " + label
                : "drops " + (f != null ? f.column() : name) + " from " + ctx.table();
        String back = f == null ? "re-adds the column without its values"
                : f.isManyToMany() ? "recreates the join table empty"
                : f.has("default") || f.hasDbDefault() ? "re-adds the column with its default in every row"
                : Boolean.TRUE.equals(f.nullable()) ? "re-adds the column with NULL in every row"
                : "re-adds the column without its values";
        boolean m2m = f != null && f.isManyToMany();
        boolean notNull = f != null && !m2m && !Boolean.TRUE.equals(f.nullable());
        ctx.report(this, "RemoveField " + label + " " + what + ": migrating back " + back + ", so its values are lost",
                "release N: remove " + name + " from the state only (SeparateDatabaseAndState(state_operations="
                        + "[migrations.RemoveField(\"" + m.name().toLowerCase(java.util.Locale.ROOT) + "\", \"" + name
                        + "\")])), keeping the data" + (notNull ? " (make it nullable first, or new code's INSERTs fail)" : "")
                        + "; release N+1, once rolling back is out of the question: drop it ("
                        + (m2m ? "the join table" : "migrations.RunSQL(\"ALTER TABLE " + ctx.table() + " DROP COLUMN "
                        + (f != null ? f.column() : name) + "\")") + "). Or back up "
                        + (m2m ? "the join table" : ctx.table()) + " before deploying");
    }

    /**
     * The forward SQL drops a column or a table, or empties one, and reverse_sql exists: unapplying
     * recreates it empty (without reverse_sql, R302 says the migration cannot be unapplied at all).
     */
    private void forward(SqlContext ctx) {
        DbChange c = ctx.change();
        boolean drops = c.kind() == DbChange.Kind.DROP_COLUMN || c.kind() == DbChange.Kind.DROP_TABLE
                || c.kind() == DbChange.Kind.TRUNCATE;
        if (!drops || !ctx.existingTable() || !"RunSQL".equals(ctx.operation().type())
                || dev.migsafe.rules.SqlSources.reverse(ctx.operation()).texts().isEmpty()) {
            return;
        }
        String what = c.kind() == DbChange.Kind.DROP_COLUMN ? "the column " + ctx.table() + "." + c.column()
                : "the rows of " + ctx.table();
        ctx.report(this, "it drops " + what + ": reverse_sql can recreate the schema, not the data", "take a backup "
                + "before applying, or keep the data (rename the column or table away) until rolling back is out of the question");
    }

    /** reverse_sql that drops a column or table, or deletes every row: what was written since is lost on a rollback. */
    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (c.table() == null || c.table().placeholder()) {
            return;
        }
        if (!ctx.reverse()) {
            forward(ctx);
            return;
        }
        String what = switch (c.kind()) {
            case DROP_COLUMN -> "drops " + ctx.table() + "." + c.column();
            case DROP_TABLE -> "drops the table " + ctx.table();
            case TRUNCATE -> "empties " + ctx.table();
            case DELETE -> c.has(DbChange.Flag.WHERE) ? null : "deletes every row of " + ctx.table();
            default -> null;
        };
        if (what != null) {
            ctx.report(this, what + ": a rollback loses everything written there since the migration ran",
                    "if the data matters after a rollback, keep it (rename the column or table away instead of "
                            + "dropping it) or take a backup before unapplying");
        }
    }
}
