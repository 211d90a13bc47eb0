package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** C101: a NOT NULL column without a database default, added to a table old code writes to. */
public final class AddFieldNotNull extends OperationRule {

    public AddFieldNotNull() {
        super(RuleInfo.classifying("C101", "add-field-not-null", DeployClass.TWO_PHASE)
                .summary("AddField of a NOT NULL column without `db_default` to an existing table.")
                .why("""
                        Django adds the column with the Python `default` to fill existing rows and then drops
                        that database default. Old code, still running during the rollout, does not know the
                        field: its INSERTs leave the column out, and the database rejects them (NOT NULL
                        violation) until the new code is everywhere.""")
                .example("""
                        migrations.AddField(
                            model_name="order",
                            name="channel",
                            field=models.CharField(max_length=20, default="web"),
                        )""")
                .instead("""
                        Django >= 5.0: give the column a database default, which stays in the table:
                            field=models.CharField(max_length=20, default="web", db_default="web")
                        Before 5.0, two releases: (1) add it with null=True (old code writes NULL), backfill the
                        existing rows; (2) AlterField to null=False once no code writes NULL.""")
                .others("""
                        django-migration-linter reports a NOT NULL column added without a database default as
                        backward incompatible, as migsafe does. strong_migrations (Rails) lets a column with a
                        default through, because Rails keeps that default in the table; Django drops it right
                        after filling the existing rows, so the same-looking migration breaks old code here.
                        migsafe exempts tables created in the analysed range and unmanaged or proxy models,
                        and a table that a later DeleteModel or RenameModel of the same atomic migration drops or
                        renames away (old code only sees the end of the transaction; C107/C108 speak), and leaves
                        unique fields with a default to C117, which cannot succeed at all.
                        `db_default=None` (or `Value(None)`) counts as no database default: the default is
                        NULL, which the NOT NULL column rejects (django-migration-linter reports it too)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AddField".equals(ctx.type())) {
            return;
        }
        if (ctx.tableGoneLater()) {
            return; // old code never sees the column: the table is gone (C107) or renamed (C108) when the transaction ends
        }
        Field f = ctx.newField();
        if (f == null || !f.hasColumn() || hasNonNullDbDefault(f) || f.primaryKey() || f.simpleClass().equals("GeneratedField")) {
            return;
        }
        Boolean nullable = f.nullable();
        String target = ctx.modelLabel() + "." + f.name();
        if (nullable == null) {
            ctx.reportUnknown(this, "AddField " + target + ": `null=" + Py.source(f.kw("null"))
                    + "` is not a literal, so whether old code's INSERTs still work cannot be told", fix(ctx, f));
            return;
        }
        if (nullable || AddFieldUniqueDefault.fillsOneValue(f)) {
            return; // nullable: old code writes NULL. Unique with a default: C117 says it better.
        }
        if (defaultSetBySql(ctx, f.column())) {
            return; // a later RunSQL of this migration keeps a database default on the column (saleor does this)
        }
        ctx.report(this, "AddField " + target + " adds a NOT NULL column to " + ctx.table()
                + " without a database default: old code's INSERTs leave it out and fail during the rollout",
                fix(ctx, f));
    }

    /**
     * A db_default that gives old code's INSERTs a value: `db_default=None` (or `Value(None)`) is a
     * database default of NULL, which a NOT NULL column rejects like no default at all.
     */
    private static boolean hasNonNullDbDefault(Field f) {
        if (!f.hasDbDefault()) {
            return false;
        }
        Value d = f.kw("db_default");
        boolean nullValue = d instanceof Value.None || d instanceof Value.Call c && c.simpleName().equals("Value")
                && c.args().size() == 1 && c.args().get(0) instanceof Value.None;
        return !nullValue;
    }

    /**
     * Whether a later RunSQL of the same migration runs ALTER TABLE table ALTER COLUMN column SET
     * DEFAULT: the database default then stays, and old code's INSERTs get it, as with db_default.
     */
    static boolean defaultSetBySql(OperationContext ctx, String column) {
        if (ctx.table() == null || column == null) {
            return false;
        }
        Map<String, Integer> last = ctx.migration().memo(SET_DEFAULT, () -> defaultsSet(ctx.migration().operations()));
        Integer at = last.get(bare(ctx.table()) + " " + column.toLowerCase(Locale.ROOT));
        return at != null && at > ctx.index();
    }

    /** Key of {@link #defaultsSet} in the migration's memo. */
    private static final Object SET_DEFAULT = new Object();
    private static final Pattern ALTER_SET_DEFAULT = Pattern.compile("ALTER\\s+TABLE\\s+(?:ONLY\\s+)?\"?([^\"\\s]+?)\"?"
            + "\\s+ALTER\\s+(?:COLUMN\\s+)?\"?([^\"\\s]+?)\"?\\s+SET\\s+DEFAULT\\b", Pattern.CASE_INSENSITIVE);

    /**
     * "table column" (lowercase) -> the last RunSQL of the migration that runs ALTER TABLE table
     * ALTER column SET DEFAULT: read once per migration, then looked up for each operation.
     */
    private static Map<String, Integer> defaultsSet(List<Operation> ops) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            if ("RunSQL".equals(ops.get(i).type())) {
                int index = i;
                sqlStrings(ops.get(i).arg(0, "sql"), text -> {
                    Matcher m = ALTER_SET_DEFAULT.matcher(text);
                    while (m.find()) {
                        out.put(bare(m.group(1)) + " " + m.group(2).toLowerCase(Locale.ROOT), index);
                    }
                });
            }
        }
        return out;
    }

    private static String bare(String table) {
        return table.toLowerCase(Locale.ROOT);
    }

    private static void sqlStrings(Value sql, java.util.function.Consumer<String> out) {
        if (sql instanceof Value.Str s) {
            out.accept(s.value());
            return;
        }
        List<Value> items = sql instanceof Value.ListV l ? l.items() : sql instanceof Value.TupleV t ? t.items() : List.of();
        items.forEach(i -> sqlStrings(i, out));
    }


    private static String fix(OperationContext ctx, Field f) {
        Value dflt = f.kw("default");
        String value = dflt != null && Py.isConstant(dflt) ? Py.source(dflt) : "<value>";
        String dbDefault = "add `db_default=" + value + "` to the field (Django >= 5.0): the database then fills "
                + f.name() + " for old code's INSERTs";
        String twoPhase = "release 1: AddField " + f.name() + " with null=True and backfill existing rows; "
                + "release 2: AlterField " + f.name() + " to null=False";
        Boolean hasDbDefault = ctx.settings().djangoAtLeast(5, 0);
        if (Boolean.FALSE.equals(hasDbDefault)) {
            return twoPhase + " (db_default needs Django >= 5.0)";
        }
        return dbDefault + "; or " + twoPhase;
    }
}
