package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Field;
import java.util.Set;

/** C117: AddField of a unique column that Django fills with one value for every existing row. */
public final class AddFieldUniqueDefault extends OperationRule {

    /** Database functions that give each row its own value when a column is added. */
    private static final Set<String> PER_ROW = Set.of("RandomUUID", "Random");

    /** Database functions that give every row of one statement the same value. */
    private static final Set<String> ONE_VALUE = Set.of("Value", "Now");

    public AddFieldUniqueDefault() {
        super(RuleInfo.classifying("C117", "add-field-unique-default", DeployClass.DOWNTIME)
                .summary("AddField of a unique column with a default on an existing table: every row gets the same value.")
                .why("""
                        Django computes the default once (a callable such as uuid.uuid4 is called once, not per
                        row) and fills every existing row with it; a db_default constant does the same. The
                        unique constraint then fails as soon as the table has two rows: the migration cannot
                        succeed, whatever the deploy order.""")
                .example("""
                        migrations.AddField(
                            model_name="order",
                            name="code",
                            field=models.UUIDField(default=uuid.uuid4, unique=True),
                        )""")
                .instead("""
                        Django's documented recipe, over two releases: (1) AddField with null=True and without
                        unique; new code writes a value for new rows, and a RunPython (batched) gives every
                        existing row its own value; (2) AlterField to unique=True (and null=False).""")
                .others("""
                        django-migration-linter sees a unique constraint added to an existing table (ADD_UNIQUE) and,
                        if the column is NOT NULL, a NOT NULL column (NOT_NULL); neither says that the migration
                        cannot succeed. strong_migrations has no matching check. migsafe reports it as downtime
                        (nothing to deploy around: the migration fails on any table with two rows) instead of C101.""")
        );
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"AddField".equals(ctx.type())) {
            return;
        }
        Field f = ctx.newField();
        if (f == null || !f.hasColumn() || f.primaryKey() || !Boolean.TRUE.equals(f.unique())) {
            return;
        }
        String target = ColumnFacts.target(ctx, f.name());
        Value dflt = f.kw("default");
        if (dflt != null && !(dflt instanceof Value.None)) {
            String how = Py.isConstant(dflt) ? "fills every existing row of " + ctx.table() + " with " + Py.source(dflt)
                    : "computes " + Py.source(dflt) + " once and fills every existing row of " + ctx.table() + " with that value";
            ctx.report(this, "AddField " + target + " adds a unique column with default=" + Py.source(dflt) + ": Django "
                    + how + ", so the migration fails as soon as the table has two rows", fix(f));
            return;
        }
        Value dbDefault = f.kw("db_default");
        if (dbDefault == null || dbDefault instanceof Value.None) {
            return;
        }
        if (Py.isConstant(dbDefault) || dbDefault instanceof Value.Call c && ONE_VALUE.contains(c.simpleName())) {
            ctx.report(this, "AddField " + target + " adds a unique column with db_default=" + Py.source(dbDefault)
                    + ": the database fills every existing row of " + ctx.table() + " with that one value, so the "
                    + "migration fails as soon as the table has two rows", fix(f));
        } else if (!(dbDefault instanceof Value.Call p && PER_ROW.contains(p.simpleName()))) {
            ctx.reportUnknown(this, "AddField " + target + " adds a unique column with db_default="
                    + Py.source(dbDefault) + ": whether the database gives each existing row of " + ctx.table()
                    + " its own value cannot be told", fix(f));
        }
    }

    /** Whether AddField fills every existing row with one Python default (C101 then leaves the case to C117). */
    static boolean fillsOneValue(Field f) {
        Value dflt = f.kw("default");
        return Boolean.TRUE.equals(f.unique()) && !f.primaryKey() && dflt != null && !(dflt instanceof Value.None);
    }

    private static String fix(Field f) {
        return "release 1: AddField " + f.name() + " with null=True and without unique or default; new code writes a "
                + "value for new rows and a batched RunPython gives every existing row its own; release 2: AlterField "
                + f.name() + " to unique=True, null=False";
    }
}
