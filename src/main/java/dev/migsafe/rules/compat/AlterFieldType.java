package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import java.util.Objects;
import java.util.Set;

/**
 * C104: AlterField that changes the column's database type other than by a binary-coercible
 * widening. It also owns the one review an AlterField gets when the field before it is unknown.
 */
public final class AlterFieldType extends OperationRule implements dev.migsafe.rules.JudgesSql {

    /** Field classes whose PostgreSQL column carries CHECK (column >= 0). */
    private static final Set<String> POSITIVE = Set.of("PositiveIntegerField", "PositiveBigIntegerField",
            "PositiveSmallIntegerField");

    public AlterFieldType() {
        super(RuleInfo.classifying("C104", "alter-field-type", DeployClass.DOWNTIME)
                .summary("AlterField that changes the column type other than by a binary-coercible widening.")
                .why("""
                        A type change that is not a widening PostgreSQL can skip (varchar(n) to a longer varchar
                        or to text, numeric to a higher precision at the same scale) rewrites the whole table
                        under an ACCESS EXCLUSIVE lock: reads and writes wait for the rewrite. Old code still
                        running during the rollout also keeps sending values of the old type, which the new type
                        may reject or convert. When the field class is not one of Django's and cannot be followed
                        to one (or an argument that decides the type is not a literal), migsafe cannot know the
                        types and asks for a review.
                        SQL's ALTER COLUMN ... TYPE is judged as the AlterField to the field of that type. When the
                        replayed state already gives the column that type, the database's column must differ (a
                        custom field's db_type, a schema an older release left): with USING, the SQL converts the
                        values and PostgreSQL rewrites the table (downtime); without it, a review.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="reference",
                            field=models.IntegerField(),  # was models.CharField(max_length=20)
                        )""")
                .instead("""
                        Expand and contract over releases: (1) add a new field with the new type
                        (reference_int = models.IntegerField(null=True)), write both fields and backfill the
                        existing rows in batches; (2) read the new field; (3) stop writing the old field and
                        remove it (RenameField with db_column afterwards if you want the old name back).
                        Widenings need none of this: CharField max_length up, CharField -> TextField,
                        DecimalField max_digits up with the same decimal_places.""")
                .others("""
                        django-migration-linter flags every ALTER COLUMN ... TYPE (ALTER_COLUMN) and leaves it to you
                        to ignore the safe ones, widenings included. strong_migrations refuses change_column except
                        for a list of changes PostgreSQL does without a rewrite. migsafe compares the column types of
                        the replayed field before and after: widenings pass, shrinking max_length or precision is
                        C113, a primary key is C114 and a relation's target is C118; only unknown field classes are
                        left for review. A project's own field class is followed to the Django class it derives from
                        (class Html5DateField(models.DateField) is a date column); a third-party one can be mapped
                        with the field-types configuration key. A column an AddField of the analysed range created
                        is not judged: old code writes nothing into it. But when the range drops a column old code
                        knows and then gives its name to another column (RemoveField plan, RenameField plan_tmp ->
                        plan, AlterField plan to a ForeignKey: plan_id again), old code, which only sees the schema
                        before and after, keeps reading and writing that column with the type it had: C104 reports
                        the operation that brings the name back when the types differ (not a widening), once, instead
                        of C102 on the drop. An integer column narrowed (integer -> smallint, bigint -> integer) whose
                        old field's literal choices all fit the new type is not reported: old code validates what it
                        writes against those values, as C110 takes it; L206 still reports the rewrite."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if ("AddField".equals(ctx.type()) || "RenameField".equals(ctx.type())) {
            Field brought = "AddField".equals(ctx.type()) ? ctx.newField() : renamed(ctx);
            if (brought != null && brought.hasColumn()) {
                ColumnReuse.check(this, ctx, brought);
            }
            return;
        }
        if (!"AlterField".equals(ctx.type())) {
            return;
        }
        String name = ctx.str(1, "name");
        String target = ColumnFacts.target(ctx, name);
        Field after = ctx.newField();
        Field before = ctx.oldField();
        if (after == null || name == null) {
            ctx.reportUnknown(this, "AlterField " + target + ": the field name or the new field is not something migsafe "
                    + "can read, "
                    + "so what it changes in " + ctx.table() + " cannot be told", sqlFix(ctx, "what it changes"));
            return;
        }
        if (before == null) {
            ctx.reportUnknown(this, "AlterField " + target + ": the field is not in the replayed state"
                    + (ctx.targetModel() == null ? " (no model " + ctx.modelLabel() + ")" : "")
                    + ", so what the change does to " + ctx.table() + " cannot be told", sqlFix(ctx, "what it changes"));
            return;
        }
        if (ctx.isNewColumn(name)) {
            // Added in the analysed range: old code writes nothing into it. Unless it takes a column
            // name old code knows, which the range dropped before.
            if (after.hasColumn() && (!before.hasColumn() || !before.column().equalsIgnoreCase(after.column()))) {
                ColumnReuse.check(this, ctx, after);
            }
            return;
        }
        if (before.isRelation() || after.isRelation() || before.primaryKey() || after.primaryKey()
                || !before.hasColumn() || !after.hasColumn()) {
            return; // relations: C118 (a to-one column follows its target's key); primary keys: C114
        }
        ColumnType from = ctx.columnType(before);
        ColumnType to = ctx.columnType(after);
        if (from == null || to == null) {
            if (ColumnFacts.sameTypeArguments(before, after)) {
                return; // same class and type arguments: whatever the type is, it did not change
            }
            Field unknown = from == null ? before : after;
            ctx.reportUnknown(this, "AlterField " + target + ": the column type of " + describe(unknown)
                    + " is unknown (" + whyUnknown(unknown) + "), so whether the change rewrites " + ctx.table()
                    + " or rejects old code's values cannot be told", sqlFix(ctx, "whether it changes the column type"));
            return;
        }
        if (from.equals(to) || from.widensTo(to)) {
            checkSameType(ctx, target, before, after, from);
            return;
        }
        if (from.shrinksTo(to)) {
            return; // C113
        }
        if (choicesFit(before, to)) {
            return; // every value old code's choices allow fits the narrower integer: L206 speaks of the rewrite
        }
        ctx.report(this, "AlterField " + target + " changes column " + ctx.table() + "." + after.column() + " from "
                + from.sql() + " to " + to.sql() + ": " + ColumnFacts.rewriteNote(ctx)
                + ", and old code keeps writing values meant for " + from.sql() + " during the rollout",
                "expand and contract: release 1 adds a new field with the new type (e.g. " + name + "_new = "
                        + (after.isDjangoClass() ? "models." : "") + after.simpleClass() + "(null=True)), writes both and backfills existing rows in batches; "
                        + "release 2 reads " + name + "_new; release 3 stops writing " + name + " and removes it");
    }

    /**
     * An integer column narrowed (bigint -> integer -> smallint) while every value of the old
     * field's literal choices fits the new type: old code validates against those values (as
     * C110 takes a CHECK that restates them), so what it writes still fits.
     */
    private static boolean choicesFit(Field before, ColumnType to) {
        long limit = switch (to.base()) {
            case "smallint" -> Short.MAX_VALUE;
            case "integer" -> Integer.MAX_VALUE;
            default -> -1;
        };
        java.util.Set<String> values = ChoicesCheck.values(before);
        if (limit < 0 || values == null) {
            return false;
        }
        for (String v : values) {
            try {
                long n = Long.parseLong(v);
                if (n > limit || n < -limit - 1) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** RenameField: the field under its new name (its column renamed with it), or null when unknown. */
    private static Field renamed(OperationContext ctx) {
        Field f = ctx.oldField();
        String newName = ctx.str(2, "new_name");
        if (f == null || newName == null) {
            return null;
        }
        Field r = f.withName(newName);
        return r.column().equals(f.column()) ? null : r;
    }

    /** Same column type: what else about the column's definition still bites old code. */
    private void checkSameType(OperationContext ctx, String target, Field before, Field after, ColumnType type) {
        if (ctx.database() == Database.POSTGRESQL && POSITIVE.contains(after.simpleClass())
                && !POSITIVE.contains(before.simpleClass())) {
            String column = after.column();
            ctx.report(this, DeployClass.TWO_PHASE, ctx.op().line(), ctx.op().column(), "AlterField " + target + " -> "
                    + after.simpleClass() + " adds CHECK (" + column + " >= 0) to " + ctx.table()
                    + ": old code may still write negative values, and the migration fails if a row holds one",
                    "release 1: new code never writes a negative " + before.name() + " and existing negative rows are "
                            + "fixed; release 2: change the field to " + after.simpleClass());
            return;
        }
        Value collationBefore = before.kw("db_collation");
        Value collationAfter = after.kw("db_collation");
        if (!Objects.equals(src(collationBefore), src(collationAfter))) {
            ctx.report(this, DeployClass.REVIEW, ctx.op().line(), ctx.op().column(), "AlterField " + target
                    + " changes the collation of " + ctx.table() + "." + after.column() + " (" + type.sql() + ") from "
                    + src(collationBefore) + " to " + src(collationAfter) + ": its indexes are rebuilt, and comparisons, "
                    + "ordering and uniqueness may change under old code",
                    "check that old code's lookups, ordering and unique values do not depend on the old collation; "
                            + "suppress this finding with `# migsafe: ignore[C104] <reason>` once checked");
        }
    }

    private static String src(Value v) {
        return v == null ? "the database default" : Py.source(v);
    }

    private static String describe(Field f) {
        return f.simpleClass() + (f.fieldClass().equals(f.typeClass()) && f.isDjangoClass() ? "" : " (" + f.fieldClass() + ")");
    }

    private static String whyUnknown(Field f) {
        if (!f.isDjangoClass()) {
            return "not one of Django's field classes, and not one migsafe could follow to one: map it in the "
                    + "field-types configuration";
        }
        if (!f.fieldClass().equals(f.typeClass())) {
            return "it derives from " + f.typeSimpleClass() + ", whose column type depends on arguments the class sets itself";
        }
        for (String k : new String[] {"max_length", "max_digits", "decimal_places", "base_field"}) {
            Value v = f.kw(k);
            if (v != null && !(v instanceof Value.Num) && !(v instanceof Value.Call)) {
                return k + "=" + Py.source(v) + " is not a literal";
            }
        }
        return "migsafe has no column type for it on this database";
    }

    private static String sqlFix(OperationContext ctx, String what) {
        return "read the SQL with `python manage.py sqlmigrate " + ctx.app() + " " + ctx.migration().name() + "` to see "
                + what + " (ALTER COLUMN ... TYPE rewrites the table); if it is safe, suppress this finding with "
                + "`# migsafe: ignore[C104] <reason>`";
    }

    /**
     * ALTER COLUMN ... TYPE in SQL to the type the replayed state already gives the column: judged
     * as AlterField it changes nothing, yet nobody writes that statement for nothing — the
     * database's column differs from what the state says (a custom field's db_type, a column an
     * older release created). With USING the SQL converts values: PostgreSQL rewrites the table
     * (downtime, as any such type change); without it, a review.
     */
    @Override
    public void checkSql(dev.migsafe.rules.SqlContext ctx) {
        dev.migsafe.sql.DbChange c = ctx.change();
        Field f = ctx.field();
        if (ctx.reverse() || c.kind() != dev.migsafe.sql.DbChange.Kind.ALTER_COLUMN_TYPE || f == null || f.spec() == null
                || !ctx.existingTable()) {
            return;
        }
        dev.migsafe.rules.SqlTypes.DjangoField to = dev.migsafe.rules.SqlTypes.of(c.type());
        java.util.Map<String, Value> kw = new java.util.LinkedHashMap<>(f.spec().kwargs());
        kw.putAll(to.kwargs());
        Field now = ctx.operation().state().field(f.name(), new dev.migsafe.migration.FieldSpec(f.name(), to.fieldClass(),
                java.util.List.of(), kw, 0, 0), f.target());
        ColumnType before = ctx.operation().columnType(f);
        ColumnType after = ctx.operation().columnType(now);
        if (before == null || !before.equals(after)) {
            return; // a real change in the state's terms: judged as AlterField
        }
        String target = ctx.table() + "." + c.column();
        if (c.expression() != null) {
            ctx.report(this, DeployClass.DOWNTIME, "it converts " + target + " to " + c.type() + " (USING " + c.expression()
                    + "), the type the replayed state already gives it: the database's column must be another type, and "
                    + "PostgreSQL rewrites " + ctx.table() + " under ACCESS EXCLUSIVE while old code reads and writes it",
                    "convert the column without a rewrite under lock: add a new column of the new type, write both, "
                            + "backfill in batches, then switch reads and drop the old one in a later release");
        } else {
            ctx.report(this, DeployClass.REVIEW, "it changes " + target + " to " + c.type() + ", the type the replayed state "
                    + "already gives it: if the database's column is another type, PostgreSQL rewrites " + ctx.table()
                    + " under ACCESS EXCLUSIVE", "check the column's type in the database (\\d " + ctx.table() + "); if it "
                    + "differs, treat this as a type change (a new column, backfilled, in two releases)");
        }
    }
}
