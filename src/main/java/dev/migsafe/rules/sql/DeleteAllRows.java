package dev.migsafe.rules.sql;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

/** D404: TRUNCATE, or DELETE without WHERE, of a table that holds old code's rows. */
public final class DeleteAllRows extends Rule implements JudgesSql {

    public DeleteAllRows() {
        super(RuleInfo.classifying("D404", "delete-all-rows", DeployClass.REVIEW).reversibility(Reversibility.LOSSY)
                .summary("TRUNCATE, or DELETE without WHERE, on an existing table: every row goes, and no reverse brings them back.")
                .why("""
                        A migration that empties a table is either a deliberate reset (a cache, a queue, a
                        denormalised copy rebuilt afterwards) or a mistake that a WHERE would have prevented —
                        and in production there is no undo: reverse_sql cannot recreate the rows. Old code keeps
                        running against the emptied table during the rollout. TRUNCATE also takes ACCESS
                        EXCLUSIVE on the table (reads wait), skips row triggers, and with CASCADE empties every
                        table that references it. Tables the analysed range creates are not reported.""")
                .example("""
                        migrations.RunSQL("TRUNCATE shop_cartline", migrations.RunSQL.noop)""")
                .instead("""
                        If the table must be emptied, say so where it happens:
                            migrations.RunSQL(  # migsafe: ignore[D404] cart lines are rebuilt on next visit
                        Otherwise add the WHERE that selects the rows to delete, and take a backup first."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || !ctx.existingTable()) {
            return;
        }
        if (c.kind() == DbChange.Kind.TRUNCATE) {
            ctx.report(this, "TRUNCATE empties " + ctx.table() + (c.has(DbChange.Flag.CASCADE)
                    ? " and every table that references it (CASCADE)" : "") + " under ACCESS EXCLUSIVE: its rows cannot be "
                    + "brought back by the reverse", "make sure the table is meant to be emptied and say why with "
                    + "`# migsafe: ignore[D404] <reason>`; otherwise DELETE with the WHERE that selects the rows");
        } else if (c.kind() == DbChange.Kind.DELETE && !c.has(DbChange.Flag.WHERE)) {
            ctx.report(this, "DELETE without WHERE removes every row of " + ctx.table() + ": they cannot be brought back "
                    + "by the reverse", "add the WHERE that selects the rows to delete, or say why the table is emptied "
                    + "with `# migsafe: ignore[D404] <reason>`");
        }
    }
}
