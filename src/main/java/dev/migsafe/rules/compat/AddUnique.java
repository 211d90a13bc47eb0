package dev.migsafe.rules.compat;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** C106: uniqueness added to existing columns (AlterField unique, AlterUniqueTogether, UniqueConstraint). */
public final class AddUnique extends OperationRule {

    public AddUnique() {
        super(RuleInfo.classifying("C106", "add-unique", DeployClass.TWO_PHASE)
                .summary("Uniqueness added to existing columns: AlterField unique=True, new unique_together sets, "
                        + "AddConstraint(UniqueConstraint).")
                .why("""
                        Old code still running during the rollout does not know the columns must be unique: it
                        keeps inserting duplicates, which now fail with an IntegrityError. The migration itself
                        fails if the table already holds duplicates. (On PostgreSQL the unique index is also
                        built under a lock that blocks writes: L208.)""")
                .example("""
                        migrations.AlterField(
                            model_name="customer",
                            name="email",
                            field=models.EmailField(unique=True),  # was models.EmailField()
                        )""")
                .instead("""
                        Two releases. (1) Make the code avoid duplicates (validate in forms and serializers, use
                        get_or_create / update_or_create) and clean the existing ones, found with
                            Customer.objects.values("email").annotate(n=Count("id")).filter(n__gt=1)
                        (2) Add the constraint. On PostgreSQL, build the index first without blocking writes:
                        CREATE UNIQUE INDEX CONCURRENTLY in a non-atomic migration, then
                        ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX, wrapped in SeparateDatabaseAndState
                        with the AlterField or AddConstraint as its state_operations.""")
                .others("""
                        django-migration-linter flags every ADD CONSTRAINT ... UNIQUE on a table the migration did
                        not create (ADD_UNIQUE); strong_migrations flags add_unique_constraint for its lock and
                        suggests the concurrent index. migsafe compares with what the table already guarantees,
                        just before the operation and when the migration started (old code was written against
                        that, for the columns the migration keeps: not removed, re-added, renamed or given another
                        field class). Not flagged: unique_together sets that already existed (in any order) or only
                        remove; a set that contains an already unique set (wider is weaker), so uniqueness swapped
                        inside one migration (unique=True dropped for a UniqueConstraint over the column and
                        another, unique_together turned into a UniqueConstraint, a constraint dropped and added back
                        under another name) is no new uniqueness; a partial constraint whose condition is at least
                        as strict as the guarantee's (the same, or a Q(...) with all of its terms and more); a
                        condition col__isnull=True on a column that was NOT NULL when the migration started (no
                        existing row matches, old code writes none); sets over a column added earlier in the same
                        migration without a database default and either left empty (nullable, no default) or filled
                        by a RunPython/RunSQL after it (Django's recipe for a new unique column: old code leaves the
                        column NULL, and the NOT NULL half, if any, is C105's or S501's). Across the migrations of
                        the analysed range the same holds, taken conservatively: old code was written against the
                        table as it was when the range first touched it, so uniqueness that an earlier migration of
                        the range dropped still counts for the columns the range kept (none removed, re-added or
                        renamed by the app's migrations in the range); and a set whose columns were all created in
                        the range, none with a database default, each left empty since or filled by a data step of
                        the app after its AddField, is the recipe spread over several migrations (a set that mixes
                        older columns with new ones is still reported). A column swapped under its own name
                        counts as kept for these comparisons (wger: category_tmp added and filled from category,
                        unique_together dropped, category removed, category_tmp renamed to category and made a
                        ForeignKey again, the same set added back) when the field has the column old code knew
                        (already, or once the migration's later AlterFields of it have run) and was added earlier
                        in the migration with a RunPython/RunSQL after its AddField. The copy keeps the rows' pairing and old code already
                        lived under that uniqueness; a change of the column's type is C104's finding on the
                        operation that brings the name back. A set stricter than the one that held is still
                        reported, and so is the swap when nothing fills the new column. With nulls_distinct=False the guarantee must make
                        NULLs collide too, or its columns be NOT NULL. Constraints over expressions are compared
                        only with one dropped earlier in the migration (same source). Data migrations between the
                        drop and the new constraint do not void the guarantee: only the migration itself could
                        create the duplicates, and it is tested with its data. Django's Index has no unique option,
                        so AddIndex never adds uniqueness; unique indexes made in RunSQL are C199's. A new nullable
                        unique column is compatible (old code writes NULL, and NULLs do not collide)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        String type = ctx.type();
        if ("AlterField".equals(type)) {
            alterField(ctx);
        } else if ("AlterUniqueTogether".equals(type)) {
            alterUniqueTogether(ctx);
        } else if ("AddConstraint".equals(type)) {
            addConstraint(ctx);
        }
    }

    private void alterField(OperationContext ctx) {
        Field[] sides = ColumnFacts.alteredColumn(ctx);
        if (sides == null) {
            return; // unknown field before: C104 asks for the review
        }
        Field before = sides[0];
        Field after = sides[1];
        if (before.primaryKey() || after.primaryKey()) {
            return; // C114
        }
        Boolean was = before.unique();
        Boolean is = after.unique();
        if (Boolean.TRUE.equals(was) || Boolean.FALSE.equals(is)) {
            return;
        }
        String target = ColumnFacts.target(ctx, after.name());
        if (was == null || is == null) {
            ctx.reportUnknown(this, "AlterField " + target + ": unique=" + Py.source(before.kw("unique"))
                    + " before and unique=" + Py.source(after.kw("unique"))
                    + " after are not both literals, so whether it adds a unique constraint cannot be told",
                    fix(ctx, Set.of(after.nameLower())));
            return;
        }
        Set<String> set = Set.of(after.nameLower());
        if (exempt(ctx, set, null, true)) {
            return;
        }
        String how = after.simpleClass().equals("OneToOneField") && !before.simpleClass().equals("OneToOneField")
                ? " (a OneToOneField is unique)" : "";
        ctx.report(this, "AlterField " + target + " makes " + ctx.table() + "." + after.column() + " unique" + how
                + ": old code may still insert duplicates during the rollout, and the migration fails if "
                + ctx.table() + " already has some", fix(ctx, set));
    }

    private void alterUniqueTogether(OperationContext ctx) {
        ModelState model = ctx.targetModel();
        Value given = ctx.op().arg(1, "unique_together");
        List<Set<String>> after = ColumnFacts.togetherSets(given);
        List<Set<String>> before = model == null ? null : ColumnFacts.togetherSets(model.options().get("unique_together"));
        String label = ctx.modelLabel();
        if (after == null || before == null) {
            ctx.reportUnknown(this, "AlterUniqueTogether on " + label + ": "
                    + (after == null ? "unique_together=" + Py.source(given) + " is not a literal"
                            : model == null ? "the replayed state has no model " + label
                            : "its current unique_together is not a literal")
                    + ", so whether it adds unique sets cannot be told", fix(ctx, null));
            return;
        }
        List<Set<String>> added = new ArrayList<>();
        for (Set<String> set : after) {
            if (!before.contains(set) && !exempt(ctx, set, null, true)) {
                added.add(set);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        added.forEach(s -> shown.add(ColumnFacts.tuple(s)));
        ctx.report(this, "AlterUniqueTogether on " + label + " adds unique " + String.join(", ", shown) + " to "
                + ctx.table() + ": old code may still insert duplicates during the rollout, and the migration fails "
                + "if the table already has some", fix(ctx, added.get(0)));
    }

    /** An earlier RemoveConstraint of this migration dropped exactly this constraint (same definition). */
    private static boolean recreated(OperationContext ctx, Value.Call call) {
        String source = Py.source(call);
        List<dev.migsafe.migration.Operation> earlier = ctx.earlier();
        for (int j = 0; j < earlier.size(); j++) {
            dev.migsafe.migration.Operation o = earlier.get(j);
            dev.migsafe.state.ModelState before = ctx.migration().modelBefore(j);
            if (!"RemoveConstraint".equals(o.type()) || before == null || !before.key().equals(
                    ctx.targetModel() == null ? null : ctx.targetModel().key())) {
                continue;
            }
            for (Value c : before.constraints()) {
                if (Py.source(c).equals(source)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void addConstraint(OperationContext ctx) {
        Value constraint = ctx.op().arg(1, "constraint");
        if (!(constraint instanceof Value.Call call)) {
            ctx.reportUnknown(this, "AddConstraint on " + ctx.modelLabel() + ": the constraint "
                    + Py.source(constraint) + " is not a call migsafe can read, so what it enforces on " + ctx.table()
                    + " cannot be told", fix(ctx, null));
            return;
        }
        if (!call.simpleName().equals("UniqueConstraint")) {
            return; // check and exclusion constraints: C110, C111
        }
        if (recreated(ctx, call)) {
            return; // dropped and added back unchanged in this migration: no new uniqueness
        }
        Set<String> fields = ColumnFacts.uniqueConstraintFields(call);
        boolean nullsDistinct = UniqueGuarantees.nullsDistinct(call);
        if (fields != null && exempt(ctx, fields, call.kwargs().get("condition"), nullsDistinct)) {
            return;
        }
        String name = Py.source(call.kwargs().get("name"));
        String what = fields != null ? ColumnFacts.tuple(fields) : "over expressions";
        String partial = call.kwargs().containsKey("condition") ? " (partial: only rows matching its condition)" : "";
        ctx.report(this, "AddConstraint on " + ctx.modelLabel() + " adds UniqueConstraint " + name + " " + what + partial
                + " to " + ctx.table() + ": old code may still insert duplicates during the rollout, and the migration "
                + "fails if the table already has some", fix(ctx, fields));
    }

    /**
     * Uniqueness old code cannot break and existing rows cannot violate: what the table already
     * guarantees (now, or when the migration started, for the columns it kept) implies it
     * (UniqueGuarantees), or it covers a column added earlier in this migration and either left
     * empty (every row NULL there) or filled by a data step after it: old code does not know the
     * column and leaves it NULL (no database default), and NULLs do not collide unless
     * nulls_distinct=False.
     */
    private static boolean exempt(OperationContext ctx, Set<String> set, Value condition, boolean nullsDistinct) {
        if (UniqueGuarantees.implied(ctx, set, condition, nullsDistinct)) {
            return true;
        }
        if (nullsDistinct) {
            Field altered = ctx.newField();
            for (String field : set) {
                Field now = altered != null && altered.nameLower().equals(field) ? altered
                        : ctx.targetModel() == null ? null : ctx.targetModel().field(field);
                boolean dbDefault = now != null && now.hasDbDefault();
                if (ColumnFacts.addedEmptyEarlier(ctx, field) || !dbDefault && ColumnFacts.backfilledEarlier(ctx, field)) {
                    return true;
                }
            }
            return newInRange(ctx, set, altered);
        }
        return false;
    }

    /**
     * The same recipe spread over the migrations of the analysed range, taken conservatively:
     * every column of the set was created in the range (old code does not know any of them, so it
     * leaves them all NULL), has no database default, and was either left empty since its
     * AddField or filled by a data step of this app's migrations after it.
     */
    private static boolean newInRange(OperationContext ctx, Set<String> set, Field altered) {
        if (set.isEmpty()) {
            return false;
        }
        for (String field : set) {
            Field now = altered != null && altered.nameLower().equals(field) ? altered
                    : ctx.targetModel() == null ? null : ctx.targetModel().field(field);
            if (now == null || now.hasDbDefault() || !ctx.isNewColumn(field)
                    || !(ColumnFacts.addedEmptyInRange(ctx, field) || ColumnFacts.backfilledInRange(ctx, field))) {
                return false;
            }
        }
        return true;
    }

    private static String fix(OperationContext ctx, Set<String> fields) {
        String model = ctx.targetModel() != null ? ctx.targetModel().name() : ctx.modelName();
        String values = fields == null ? "<fields>" : String.join(", ", fields.stream().map(f -> "\"" + f + "\"").toList());
        return "release 1: make the code avoid duplicates (validation, get_or_create) and remove existing ones ("
                + model + ".objects.values(" + values + ").annotate(n=Count(\"pk\")).filter(n__gt=1) finds them); "
                + "release 2: add the unique constraint" + (ctx.database() == Database.POSTGRESQL
                        ? " (build it without blocking writes: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... "
                                + "UNIQUE USING INDEX, in SeparateDatabaseAndState)" : "");
    }
}
