package dev.migsafe.rules.locks;

import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import dev.migsafe.python.eval.Value;
import dev.migsafe.state.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * L204: a new FOREIGN KEY constraint on an existing table that has values to check: AddField of a
 * ForeignKey/OneToOneField with a default (a nullable one without default is added inline with
 * NULL in every row, which PostgreSQL accepts without a scan), or an AlterField that makes a column
 * a relation, points it elsewhere, or turns db_constraint back on — or changes a ForeignKey in the
 * database at all (null, type, unique, index): Django drops its constraint first and adds it back.
 * PostgreSQL validates it while both tables are locked against writes; MySQL copies the table.
 * SQLite does not validate foreign keys on ALTER: nothing to report there.
 */
public final class ForeignKeyValidation extends OperationRule implements JudgesSql {

    public ForeignKeyValidation() {
        super(RuleInfo.of("L204", "fk-validation", Severity.WARNING)
                .summary("A new FOREIGN KEY constraint on existing values, validated while both tables are locked.")
                .why("""
                        Adding a FOREIGN KEY makes PostgreSQL check every existing row against the referenced
                        table. During that scan it holds SHARE ROW EXCLUSIVE on both tables (writes to both wait),
                        or, when the column is added in the same statement, ACCESS EXCLUSIVE on the referencing one
                        (its reads wait too); on a big table that is minutes. An AlterField that changes a ForeignKey
                        in the database (null, type, unique, db_index) counts too: Django's schema editor drops the
                        field's constraint before altering the column and adds it back after, scanning again, and
                        dropping a foreign key takes ACCESS EXCLUSIVE on both tables until the migration commits,
                        so reads of both wait for that scan as well. A nullable ForeignKey added without a default
                        is fine on PostgreSQL: Django adds the constraint with the column, every row holds NULL,
                        and nothing is scanned. (MySQL cannot add a foreign key in place while foreign_key_checks is
                        on: it copies the whole table.)""")
                .example("""
                        migrations.AddField(
                            model_name="order",
                            name="customer",
                            field=models.ForeignKey("shop.customer", default=1, on_delete=models.PROTECT),
                        )""")
                .instead("""
                        Add the field with db_constraint=False, add the constraint NOT VALID (no scan), and validate
                        it in a later migration (VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes
                        continue):
                            migrations.RunSQL(
                                'ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_customer_id_fk" FOREIGN KEY ("customer_id") '
                                'REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED NOT VALID',
                                reverse_sql='ALTER TABLE "shop_order" DROP CONSTRAINT "shop_order_customer_id_fk"',
                            )
                        then, in the next migration, RunSQL('ALTER TABLE "shop_order" VALIDATE CONSTRAINT
                        "shop_order_customer_id_fk"') together with SeparateDatabaseAndState(state_operations=[
                        AlterField(... without db_constraint=False)]) so Django's state has the constraint again.""")
                .others("""
                        strong_migrations flags add_foreign_key and add_reference with foreign_key: true on PostgreSQL
                        and suggests validate: false plus validate_foreign_key in a second migration; migsafe gives
                        the same advice in Django's terms. django-migration-linter has no foreign key check."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Database db = ctx.database();
        if (db == Database.SQLITE || !("AddField".equals(ctx.type()) || "AlterField".equals(ctx.type()))) {
            return;
        }
        FieldChange c = FieldChange.of(ctx);
        if (c.after == null || !c.adding() && (c.before == null || !c.dbChange())) {
            return;
        }
        Boolean added = c.foreignKeyAdded();
        if (added == null) {
            ctx.reportUnknown(this, ctx.type() + " " + c.target() + ": `db_constraint` is not a literal, so whether a "
                    + "FOREIGN KEY is added and validated on " + ctx.table() + " cannot be told", fix(ctx, c));
            return;
        }
        if (!added) {
            return;
        }
        Field f = c.after;
        if (c.adding() && db == Database.POSTGRESQL && !fillsExistingRows(f)) {
            // Django adds the constraint inline with the column (ADD COLUMN ... REFERENCES): every
            // existing row holds NULL, so PostgreSQL marks it valid without scanning (measured).
            return;
        }
        String target = c.targetTable();
        String what = ctx.type() + " " + c.target() + (c.foreignKeyRecreated()
                ? " drops and re-adds the FOREIGN KEY from " : " adds a FOREIGN KEY from ") + ctx.table() + "." + f.column()
                + " to " + target + (c.foreignKeyRecreated() ? " (Django re-creates it whenever it alters the column)" : "")
                + ": ";
        if (db == Database.MYSQL) {
            ctx.report(this, what + "MySQL cannot add a foreign key in place while foreign_key_checks is on, so it "
                    + "copies " + ctx.table() + " (ALGORITHM=COPY) and writes wait for the whole copy", "on a big table, "
                    + "run it in a quiet window, or keep db_constraint=False and enforce the relation in code");
            return;
        }
        ctx.report(this, what + "PostgreSQL checks every row of " + ctx.table() + " while holding "
                + locks(ctx, c, target), fix(ctx, c));
    }

    /**
     * The locks held during the validation, with what waits: ADD COLUMN's ACCESS EXCLUSIVE on the
     * column's table; or, when Django dropped the old constraint first, ACCESS EXCLUSIVE on that
     * table and the old target (PostgreSQL locks the referenced table to drop a foreign key), held
     * to the commit; else ADD CONSTRAINT's SHARE ROW EXCLUSIVE on both.
     */
    private static String locks(OperationContext ctx, FieldChange c, String target) {
        String t = ctx.table();
        String add = PgFacts.Action.ADD_FOREIGN_KEY.fact().referencedLock();
        String drop = PgFacts.Action.DROP_FOREIGN_KEY.fact().lock();
        if (c.adding()) {
            return PgFacts.Action.ADD_COLUMN_FOREIGN_KEY_DEFAULT.fact().lock() + " on " + t + " and " + add + " on "
                    + target + ", so reads and writes of " + t + " and writes to " + target + " wait for the scan";
        }
        if (Boolean.TRUE.equals(c.foreignKeyDropped())) {
            String old = c.oldTargetTable();
            return old.equals(target)
                    ? drop + " on " + t + " and " + target + " (Django dropped the old constraint first, which locks "
                            + "the referenced table too), so reads and writes of both tables wait for the scan"
                    : drop + " on " + t + " and " + old + " (Django dropped the old constraint first, which locks the "
                            + "referenced table too) and " + add + " on " + target + ", so reads and writes of " + t
                            + " and " + old + " and writes to " + target + " wait for the scan";
        }
        return PgFacts.Action.ADD_FOREIGN_KEY.fact().lock() + " on " + t + " and " + target
                + ", so writes to both tables wait for the scan";
    }

    /** Whether the added column gets a value in existing rows: a non-None default or a db_default. */
    static boolean fillsExistingRows(Field f) {
        Value d = f.kw("default");
        return f.hasDbDefault() || d != null && !(d instanceof Value.None);
    }

    private static String fix(OperationContext ctx, FieldChange c) {
        Field f = c.after;
        String table = ctx.table();
        String name = table + "_" + f.column() + "_fk";
        if (name.length() > 63) {
            name = name.substring(0, 60) + "_fk";
        }
        Map<String, String> noConstraint = new LinkedHashMap<>();
        noConstraint.put("db_constraint", "False");
        Map<String, String> withConstraint = new LinkedHashMap<>();
        withConstraint.put("db_constraint", null);
        return "(1) " + ctx.type() + "(" + Ddl.modelArg(ctx) + ", \"" + f.name() + "\", " + Ddl.fieldSource(f, noConstraint)
                + ") followed by migrations.RunSQL('ALTER TABLE \"" + table + "\" ADD CONSTRAINT \"" + name
                + "\" FOREIGN KEY (\"" + f.column() + "\") REFERENCES \"" + c.targetTable() + "\" (\"" + c.targetKeyColumn()
                + "\") DEFERRABLE INITIALLY DEFERRED NOT VALID', reverse_sql='ALTER TABLE \"" + table
                + "\" DROP CONSTRAINT \"" + name + "\"'); (2) in the next migration: migrations.RunSQL('ALTER TABLE \""
                + table + "\" VALIDATE CONSTRAINT \"" + name + "\"', reverse_sql=migrations.RunSQL.noop) (SHARE UPDATE "
                + "EXCLUSIVE: reads and writes continue) and migrations.SeparateDatabaseAndState(state_operations=["
                + "migrations.AlterField(" + Ddl.modelArg(ctx) + ", \"" + f.name() + "\", " + Ddl.fieldSource(f, withConstraint)
                + ")]) so Django's state has the constraint";
    }

    /** ADD CONSTRAINT ... FOREIGN KEY in SQL without NOT VALID: validated under SHARE ROW EXCLUSIVE on both tables. */
    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || c.kind() != DbChange.Kind.ADD_CONSTRAINT || c.constraint() != DbChange.Constraint.FOREIGN_KEY
                || c.has(DbChange.Flag.NOT_VALID) || !ctx.existingTable() || ctx.database() != Database.POSTGRESQL) {
            return;
        }
        String name = c.name() == null ? "<name>" : c.name();
        ctx.report(this, "the foreign key is checked against every row of " + ctx.table() + " while SHARE ROW EXCLUSIVE "
                + "is held on " + ctx.table() + " and " + c.references() + ": writes to both wait for the whole scan",
                "add it NOT VALID (ALTER TABLE " + ctx.table() + " ADD CONSTRAINT " + name + " FOREIGN KEY (...) REFERENCES "
                        + c.references() + " (...) NOT VALID: brief), then in a later migration ALTER TABLE " + ctx.table()
                        + " VALIDATE CONSTRAINT " + name + " (SHARE UPDATE EXCLUSIVE: reads and writes continue)");
    }
}
