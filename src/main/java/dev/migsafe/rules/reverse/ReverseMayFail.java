package dev.migsafe.rules.reverse;

import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;

import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.GroupsFindings;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.TogetherSets;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.Replayer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * R303: operations whose reverse puts back a restriction that rows written since the migration
 * may break, so that migrating backwards fails on real data:
 * <ul>
 * <li>RemoveField of a NOT NULL column that Django cannot fill when it re-adds it (no default, no
 *     db_default, not a blank string field, not auto_now);</li>
 * <li>AlterField null False -> True when the old field has no default (Django's reverse only
 *     backfills NULLs from a default);</li>
 * <li>AlterField that widens the column (longer varchar, text/longtext/citext, more integer
 *     digits of a numeric, a larger integer type; not on SQLite, which enforces none of these) or
 *     drops the check of a Positive*Field;</li>
 * <li>AlterField unique True -> False, RemoveConstraint, AlterUniqueTogether that removes sets.</li>
 * </ul>
 * Tables created in the analysed range are not exempt: Django unapplies operation by operation,
 * so the reverse runs against the rows new code wrote before the table is dropped. Unmanaged and
 * proxy models have no DDL either way.
 */
public final class ReverseMayFail extends OperationRule implements GroupsFindings, JudgesSql {

    /** Django's string fields: with blank=True their effective default is "", which fills re-added rows. */
    private static final Set<String> STRING_FIELDS = Set.of("CharField", "TextField", "SlugField", "EmailField",
            "URLField", "FilePathField", "FileField", "ImageField", "CICharField", "CIEmailField", "CITextField");
    private static final Set<String> DATE_FIELDS = Set.of("DateField", "DateTimeField", "TimeField");
    private static final Map<String, Integer> INTEGER_RANK = Map.of("smallint", 1, "integer", 2, "bigint", 3);
    /** Kinds of AlterField findings that are merged per migration (GroupsFindings). */
    private static final String WIDENS = "widens";
    private static final String NULLABLE = "nullable";
    private static final String UNIQUE = "unique";
    private static final String POSITIVE = "positive";
    /** Widened columns a later data step rewrites: the kind carries that step (and whether its reverse restores). */
    private static final String REWRITTEN = "rewritten:";
    private static final String RESTORES = "restores:";

    public ReverseMayFail() {
        super(RuleInfo.of("R303", "reverse-may-fail", Severity.WARNING)
                .reversibility(Reversibility.MAY_FAIL)
                .summary("Migrating back puts a restriction back that rows written since may violate.")
                .why("""
                        Unapplying works on an empty test database and fails in production: the reverse of
                        this operation re-adds a NOT NULL column with nothing to fill it, sets NOT NULL on a
                        column that now holds NULLs, shrinks a column that now holds longer values, or adds a
                        unique or check constraint that rows written since violate. The rollback then stops
                        in the middle, at the moment it is needed most.""")
                .example("""
                        migrations.AlterField(
                            model_name="order",
                            name="note",
                            field=models.CharField(max_length=500),  # was max_length=100
                        )""")
                .instead("""
                        Plan the rollback with the change: before `migrate shop <previous>`, repair the rows the
                        old schema rejects (e.g. UPDATE shop_order SET note = left(note, 100) WHERE
                        length(note) > 100, which loses what is cut off: keep a copy of those rows if they
                        matter). When the migration itself rewrites the widened values (a RunPython or RunSQL
                        after the AlterField), give that step a reverse that restores the old values: shortening
                        the new ones would let the reverse run and corrupt them all. For a removed NOT NULL field: make it nullable (or give it
                        db_default) in the release before you remove it; then the reverse re-adds a nullable
                        column and cannot fail.""")
                .others("""
                        django-migration-linter and strong_migrations judge the forward direction only
                        (strong_migrations skips its checks when migrating down by default). migsafe reads the
                        replayed state to tell when the reverse cannot fail: a removed field with a default or
                        a blank string field is re-added filled, and a field made nullable whose old definition
                        has a default gets its NULLs backfilled by Django before SET NOT NULL. AlterFields of one
                        migration that state the same fact (widen a column, make it nullable, drop its unique
                        constraint or its `>= 0` check) give one finding per migration and kind that names the
                        columns, on the first of them; an AlterField with several of these reasons keeps its own
                        finding. Each grouped operation still shows reversible: may fail, and a suppression on its
                        line takes it out of the group (docs/suppressions.md). A widened column that a RunPython
                        (assigning the field, or naming it in update()/bulk_update()) or a RunSQL (UPDATE ... SET
                        it) later in the same migration rewrites is reported as such: without a reverse that
                        restores the old values, migrating back fails (the reverse shrinks the column while it
                        holds the rewritten values, which the widening was for), and the fix asks for that
                        reverse instead of shortening values, which would corrupt them. A data step in a later
                        migration of the range is not followed: the fix for a plain widening says that shortening
                        loses data."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (ctx.type() == null || ctx.modelDeletedLater()) {
            return; // the model goes later in this migration: on the way back its table returns empty
        }
        switch (ctx.type()) {
            case "RemoveField" -> removeField(ctx);
            case "AlterField" -> alterField(ctx);
            case "RemoveConstraint" -> removeConstraint(ctx);
            case "AlterUniqueTogether" -> alterUniqueTogether(ctx);
            default -> { }
        }
    }

    private void removeField(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m != null && !m.hasTable()) {
            return;
        }
        String name = ctx.str(1, "name");
        Field f = ctx.oldField();
        String label = ctx.modelLabel() + "." + name;
        if (f == null) {
            ctx.reportUnknown(this, "RemoveField " + label + ": the replayed state does not know the field, so whether "
                    + "migrating back can re-add it cannot be told", "check that " + label + " is nullable or has a default "
                    + "before relying on `migrate " + ctx.app() + "` backwards");
            return;
        }
        if (!f.hasColumn() || f.primaryKey() || f.simpleClass().equals("GeneratedField")) {
            return;
        }
        Boolean nullable = f.nullable();
        if (nullable == null) {
            ctx.reportUnknown(this, "RemoveField " + label + ": `null=" + Py.source(f.kw("null")) + "` is not a literal, "
                    + "so whether migrating back can re-add the column cannot be told", "make " + label
                    + " nullable before removing it, so that the reverse re-adds a nullable column");
            return;
        }
        if (nullable) {
            return;
        }
        String fills = fillsReAddedRows(f);
        if (fills != null) {
            if (fills.isEmpty()) {
                ctx.reportUnknown(this, "RemoveField " + label + ": " + f.simpleClass() + " is not one of Django's "
                        + "field classes, so whether blank=True fills re-added rows cannot be told", "make " + label
                        + " nullable before removing it, so that the reverse re-adds a nullable column");
            }
            return;
        }
        ctx.report(this, "RemoveField " + label + " drops a NOT NULL column with no default: migrating back re-adds "
                        + f.column() + " to " + ctx.table() + " with nothing to put in existing rows, so the reverse fails "
                        + "on any non-empty table",
                "in the release before the removal, make " + name + " nullable (AlterField null=True) or give it "
                        + "db_default (Django >= 5.0), as a safe removal needs anyway; the reverse then re-adds a "
                        + "column it can fill. If this migration already shipped, a rollback needs the column added "
                        + "by hand with a default first");
    }

    /**
     * Whether Django fills existing rows when it re-adds the field: null when it does not, "" when
     * it cannot be told (custom field class with blank=True), otherwise how.
     */
    private static String fillsReAddedRows(Field f) {
        if (hasRealDefault(f) || f.hasDbDefault()) {
            return "default";
        }
        if (DATE_FIELDS.contains(f.simpleClass()) && f.isDjangoClass()
                && (Boolean.TRUE.equals(f.bool("auto_now", false)) || Boolean.TRUE.equals(f.bool("auto_now_add", false)))) {
            return "now";
        }
        if (Boolean.TRUE.equals(f.bool("blank", false))) {
            if (!f.isDjangoClass()) {
                return "";
            }
            return STRING_FIELDS.contains(f.simpleClass()) ? "empty string" : null;
        }
        return null;
    }

    /** default= given and not None (Django fills with None otherwise, which NOT NULL rejects). */
    private static boolean hasRealDefault(Field f) {
        return f.has("default") && !(f.kw("default") instanceof Value.None);
    }

    private void alterField(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        if (m != null && !m.hasTable()) {
            return;
        }
        Field neu = ctx.newField();
        if (neu == null) {
            return; // the field is not a call: the parse diagnostics say so
        }
        String label = ctx.modelLabel() + "." + neu.name();
        Field old = ctx.oldField();
        if (old == null) {
            ctx.reportUnknown(this, "AlterField " + label + ": the replayed state does not know the field before this "
                    + "migration, so whether migrating back can fail cannot be told", "check what the field was before "
                    + "relying on `migrate " + ctx.app() + "` backwards");
            return;
        }
        List<String> reasons = new ArrayList<>();
        List<String> repairs = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        // Per reason: its kind and the column it names, for one finding per migration and kind (Grouping).
        List<String[]> kinds = new ArrayList<>();
        String col = old.column();
        String table = ctx.table();
        if (old.hasColumn() && neu.hasColumn()) {
            Boolean wasNull = old.nullable();
            Boolean isNull = neu.nullable();
            if (wasNull == null || isNull == null) {
                if (!Boolean.TRUE.equals(wasNull) && !Boolean.FALSE.equals(isNull)) {
                    unknown.add("null=" + Py.source(wasNull == null ? old.kw("null") : neu.kw("null")) + " is not a literal");
                }
            } else if (!wasNull && isNull && !hasRealDefault(old) && !old.hasDbDefault()) {
                reasons.add("it makes " + col + " nullable, and the old field has no default to backfill with: NULLs "
                        + "written since make the reverse (SET NOT NULL) fail");
                repairs.add("UPDATE " + table + " SET " + col + " = <value> WHERE " + col + " IS NULL");
                kinds.add(new String[] {NULLABLE, table + "." + col, "UPDATE " + table + " SET " + col + " = <value> WHERE "
                        + col + " IS NULL"});
            }
            typeChange(ctx, old, neu, reasons, repairs, unknown, kinds);
            Boolean wasUnique = old.unique();
            Boolean isUnique = neu.unique();
            if (wasUnique == null || isUnique == null) {
                if (!Boolean.FALSE.equals(wasUnique) && !Boolean.TRUE.equals(isUnique)) {
                    unknown.add("unique is not a literal");
                }
            } else if (wasUnique && !isUnique) {
                reasons.add("it drops the unique constraint on " + col + ": duplicates written since make the reverse "
                        + "(adding it back) fail");
                repairs.add("remove duplicates (SELECT " + col + ", count(*) FROM " + table + " GROUP BY " + col
                        + " HAVING count(*) > 1)");
                kinds.add(new String[] {UNIQUE, table + "." + col, "SELECT " + col + ", count(*) FROM " + table
                        + " GROUP BY " + col + " HAVING count(*) > 1"});
            }
        }
        if (!reasons.isEmpty()) {
            boolean fails = kinds.stream().anyMatch(k -> k[0].startsWith(REWRITTEN) && !k[0].startsWith(REWRITTEN + RESTORES));
            String message = "AlterField " + label + ": migrating back " + (fails ? "fails" : "may fail") + "; "
                    + String.join("; ", reasons);
            boolean rewritten = kinds.stream().anyMatch(k -> k[0].startsWith(REWRITTEN));
            String fix = (rewritten ? "the forward change is fine; plan the rollback: "
                    : "the forward change is fine; plan the rollback: before `migrate " + ctx.app() + "` back past this "
                            + "migration, ") + String.join(", and ", repairs);
            if (kinds.size() == 1 && reasons.size() == 1) {
                ctx.reportGrouped(this, kinds.get(0)[0], kinds.get(0)[1], kinds.get(0)[2], message, fix);
            } else {
                ctx.report(this, message, fix);
            }
        } else if (!unknown.isEmpty()) {
            ctx.reportUnknown(this, "AlterField " + label + ": " + String.join(", ", unknown)
                    + ", so whether migrating back can fail cannot be told", "use literal field arguments, or check "
                    + "the rows against the old definition before migrating back");
        }
    }

    private static void typeChange(OperationContext ctx, Field old, Field neu, List<String> reasons, List<String> repairs,
                                   List<String> unknown, List<String[]> kinds) {
        String col = old.column();
        String table = ctx.table();
        if (old.isDjangoClass() && neu.isDjangoClass() && old.simpleClass().startsWith("Positive")
                && !neu.simpleClass().startsWith("Positive") && neu.simpleClass().contains("Integer")) {
            reasons.add("it drops the `" + col + " >= 0` check of " + old.simpleClass() + ": negative values written "
                    + "since make the reverse fail");
            repairs.add("fix the rows with " + col + " < 0");
            kinds.add(new String[] {POSITIVE, table + "." + col, "UPDATE " + table + " SET " + col + " = <value> WHERE "
                    + col + " < 0"});
        }
        if (ctx.database() == Database.SQLITE) {
            return; // SQLite enforces neither lengths nor numeric precision, and its integers are all one type
        }
        ColumnType was = ctx.columnType(old);
        ColumnType is = ctx.columnType(neu);
        if (was == null || is == null) {
            if (typeMayDiffer(old, neu)) {
                unknown.add("the column type of " + (was == null ? old.simpleClass() : neu.simpleClass()) + " is not known");
            }
            return;
        }
        if (was.equals(is)) {
            return;
        }
        String narrower = null;
        String rowFix = null; // what to run on the rows before migrating back
        if (was.base().equals("varchar") && was.length() != null
                && (is.base().endsWith("text") || is.base().equals("varchar") && (is.length() == null || is.length() > was.length()))) {
            narrower = "values longer than " + was.length() + " characters";
            rowFix = "UPDATE " + table + " SET " + col + " = left(" + col + ", " + was.length() + ") WHERE length("
                    + col + ") > " + was.length();
            repairs.add("shorten them, which loses the characters cut off (" + rowFix + ")");
        } else if (was.base().equals("numeric") && is.base().equals("numeric") && was.precision() != null
                && (is.precision() == null || digits(is) > digits(was))) {
            narrower = "values with more than " + digits(was) + " digits before the decimal point";
            rowFix = "fix the rows whose " + col + " does not fit " + was.sql();
            repairs.add(rowFix);
        } else {
            Integer from = INTEGER_RANK.get(baseInteger(was));
            Integer to = INTEGER_RANK.get(baseInteger(is));
            if (from != null && to != null && to > from) {
                narrower = "values outside the " + baseInteger(was) + " range";
                rowFix = "fix the rows whose " + col + " does not fit " + baseInteger(was);
                repairs.add(rowFix);
            }
        }
        if (narrower == null) {
            return;
        }
        String item = table + "." + col + " (" + was.sql() + " to " + is.sql() + ")";
        ValueRewrite rewrite = ValueRewrite.after(ctx, neu.name(), neu.column());
        if (rewrite == null) {
            reasons.add("it widens " + col + " from " + was.sql() + " to " + is.sql() + ": " + narrower
                    + " written since make the reverse fail");
            kinds.add(new String[] {WIDENS, item, rowFix});
            return;
        }
        // The migration's own data step rewrites the values: shortening them would corrupt them all.
        repairs.remove(repairs.size() - 1);
        String step = rewrite.step() + " (line " + rewrite.line() + ")";
        if (rewrite.restores()) {
            reasons.add("it widens " + col + " from " + was.sql() + " to " + is.sql() + " and " + step + " rewrites "
                    + col + " later in this migration: migrating back fails unless its reverse puts back values that fit "
                    + was.sql());
            repairs.add("check that the reverse of " + step + " restores values of " + col + " that fit " + was.sql()
                    + " (shortening the new values instead would corrupt them)");
        } else {
            reasons.add("it widens " + col + " from " + was.sql() + " to " + is.sql() + " and " + step + " rewrites "
                    + col + " later in this migration with no reverse that restores the old values: migrating back "
                    + "fails, since the reverse shrinks " + col + " while it holds the rewritten values (" + narrower
                    + ", as the widening is for)");
            repairs.add("give " + step + " a reverse that restores the old values of " + col + " (values that fit "
                    + was.sql() + "); shortening the rewritten values instead would let the reverse run but corrupt "
                    + "every one of them");
        }
        kinds.add(new String[] {REWRITTEN + (rewrite.restores() ? RESTORES : "") + step, item,
                col + " within " + was.sql()});
    }

    private static int digits(ColumnType numeric) {
        return numeric.precision() - (numeric.scale() == null ? 0 : numeric.scale());
    }

    private static String baseInteger(ColumnType t) {
        return t.base().toLowerCase(Locale.ROOT).replace(" unsigned", "");
    }

    /** Whether the class or a size argument changes (when the column types are unknown). */
    private static boolean typeMayDiffer(Field old, Field neu) {
        if (!old.fieldClass().equals(neu.fieldClass())) {
            return true;
        }
        for (String k : List.of("max_length", "max_digits", "decimal_places")) {
            if (!Objects.equals(source(old.kw(k)), source(neu.kw(k)))) {
                return true;
            }
        }
        return false;
    }

    private static String source(Value v) {
        return v == null ? null : Py.source(v);
    }

    @Override
    public String groupMessage(String kind, List<String> items) {
        String n = items.size() + " AlterFields";
        String list = String.join(", ", items);
        if (kind.startsWith(REWRITTEN)) {
            String rest = kind.substring(REWRITTEN.length());
            boolean restores = rest.startsWith(RESTORES);
            String step = restores ? rest.substring(RESTORES.length()) : rest;
            return n + " widen their columns: " + list + "; " + step + " rewrites their values later in this migration"
                    + (restores ? ": migrating back fails unless its reverse puts back values that fit the old types"
                            : " with no reverse that restores the old values: migrating back fails, since the reverse "
                                    + "shrinks the columns while they hold the rewritten values");
        }
        return switch (kind) {
            case WIDENS -> n + " widen their columns: " + list + "; migrating back may fail: values written since that "
                    + "do not fit the old types make the reverse (shrinking them again) fail";
            case NULLABLE -> n + " make their columns nullable, and the old fields have no default to backfill with: "
                    + list + "; migrating back may fail: NULLs written since make the reverse (SET NOT NULL) fail";
            case UNIQUE -> n + " drop the unique constraints on " + list + "; migrating back may fail: duplicates "
                    + "written since make the reverse (adding them back) fail";
            default -> n + " drop the `>= 0` checks of Positive*Fields on " + list + "; migrating back may fail: "
                    + "negative values written since make the reverse fail";
        };
    }

    @Override
    public String groupFix(String kind, String app, List<String> repairs) {
        if (kind.startsWith(REWRITTEN)) {
            String rest = kind.substring(REWRITTEN.length());
            boolean restores = rest.startsWith(RESTORES);
            String step = restores ? rest.substring(RESTORES.length()) : rest;
            return (restores ? "check that the reverse of " + step + " restores values that fit the old types ("
                    : "give " + step + " a reverse that restores the old values, values that fit the old types (")
                    + String.join(", ", repairs) + "); shortening the rewritten values instead would let the reverse "
                    + "run but corrupt every one of them";
        }
        String what = switch (kind) {
            case WIDENS -> "shorten or fix the values that do not fit the old types (shortening loses the characters "
                    + "cut off: keep a copy of those rows if they matter)";
            case NULLABLE -> "fill the NULLs";
            case UNIQUE -> "remove the duplicates these queries find";
            default -> "fix the negative values";
        };
        return "the forward changes are fine; plan the rollback: before `migrate " + app + "` back past this migration, "
                + what + ": " + String.join("; ", repairs);
    }

    private void removeConstraint(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        String name = ctx.str(1, "name");
        if (m == null) {
            ctx.reportUnknown(this, "RemoveConstraint " + name + " on " + ctx.modelLabel() + ": the replayed state does "
                    + "not know the model, so whether migrating back can fail cannot be told", "check the rows against "
                    + "the constraint before migrating back");
            return;
        }
        if (!m.hasTable()) {
            return;
        }
        Value constraint = null;
        for (Value c : m.constraints()) {
            if (name != null && name.equals(Replayer.nameOf(c))) {
                constraint = c;
            }
        }
        if (constraint != null && (readdedLater(ctx, constraint) || nullableFieldRemovedLater(ctx, m, constraint))) {
            return;
        }
        String kind = constraint instanceof Value.Call call ? call.simpleName() : "constraint";
        String rows = switch (kind) {
            case "UniqueConstraint" -> "duplicate one another";
            case "CheckConstraint" -> "fail its check";
            case "ExclusionConstraint" -> "conflict with one another";
            default -> "violate it";
        };
        ctx.report(this, "RemoveConstraint " + (name == null ? "" : name + " ") + "drops a " + kind + " of "
                        + ctx.modelLabel() + ": the reverse (adding it back) fails if rows written to " + ctx.table()
                        + " since " + rows,
                "plan the rollback: before `migrate " + ctx.app() + "` back past this migration, fix the rows of "
                        + ctx.table() + " that " + rows);
    }

    /** The same constraint is added back later in this migration (a re-creation): nothing changes on the way back. */
    private static boolean readdedLater(OperationContext ctx, Value constraint) {
        String removed = Py.source(constraint);
        return ctx.laterFor(null).stream().anyMatch(o -> ("AddConstraint".equals(o.type()) || "AddConstraintNotValid".equals(o.type()))
                && o.arg(1, "constraint") != null && Py.source(o.arg(1, "constraint")).equals(removed));
    }

    /**
     * A nullable column of the constraint is removed later in this migration: migrating back
     * re-adds it with NULL in every row, which no unique or check constraint on it can reject.
     */
    private static boolean nullableFieldRemovedLater(OperationContext ctx, ModelState m, Value constraint) {
        if (!(constraint instanceof Value.Call call) || !(call.arg(-1, "fields") instanceof Value.ListV
                || call.arg(-1, "fields") instanceof Value.TupleV)) {
            return false;
        }
        Value fields = call.arg(-1, "fields");
        java.util.List<Value> items = fields instanceof Value.ListV l ? l.items() : ((Value.TupleV) fields).items();
        for (Value v : items) {
            if (v instanceof Value.Str s && ctx.fieldRemovedLater(s.value()) && m.field(s.value()) != null
                    && Boolean.TRUE.equals(m.field(s.value()).nullable())) {
                return true;
            }
        }
        return false;
    }

    private void alterUniqueTogether(OperationContext ctx) {
        ModelState m = ctx.targetModel();
        String label = ctx.modelLabel();
        if (m == null) {
            ctx.reportUnknown(this, "AlterUniqueTogether on " + label + ": the replayed state does not know the model, "
                    + "so whether migrating back can fail cannot be told", "check the rows before migrating back");
            return;
        }
        if (!m.hasTable()) {
            return;
        }
        Set<List<String>> before = sets(m.options().get("unique_together"));
        Set<List<String>> after = sets(ctx.op().arg(1, "unique_together"));
        if (before == null || after == null) {
            ctx.reportUnknown(this, "AlterUniqueTogether on " + label + ": unique_together is not a literal, so whether "
                    + "it removes a set (and migrating back can fail) cannot be told", "write unique_together as a "
                    + "literal set of tuples");
            return;
        }
        Set<List<String>> removed = new LinkedHashSet<>(before);
        removed.removeAll(after);
        // A removed set that contains a set still unique (wider is weaker) cannot collect duplicates:
        // rows that differ on the narrower set differ on the wider one too.
        removed.removeIf(gone -> after.stream().anyMatch(kept -> gone.containsAll(kept)) || uniqueField(m, gone));
        if (removed.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        removed.forEach(s -> shown.add("(" + String.join(", ", s) + ")"));
        ctx.report(this, "AlterUniqueTogether on " + label + " removes unique " + String.join(", ", shown)
                        + ": duplicates written to " + ctx.table() + " since make the reverse (adding it back) fail",
                "plan the rollback: before `migrate " + ctx.app() + "` back past this migration, remove duplicate "
                        + String.join(", ", shown) + " rows from " + ctx.table());
    }

    /** Whether one of the set's fields is unique on its own (unique=True or the primary key) in the state. */
    private static boolean uniqueField(ModelState m, List<String> set) {
        for (String name : set) {
            Field f = m.field(name);
            if (f != null && (f.primaryKey() || Boolean.TRUE.equals(f.unique()))) {
                return true;
            }
        }
        return false;
    }

    /** unique_together as Django normalises it: a set of field-name tuples (sorted); null when not literal. */
    private static Set<List<String>> sets(Value v) {
        List<List<String>> sets = TogetherSets.of(v);
        if (sets == null) {
            return null;
        }
        Set<List<String>> out = new LinkedHashSet<>();
        for (List<String> set : sets) {
            List<String> sorted = new ArrayList<>(set);
            sorted.sort(null);
            out.add(List.copyOf(sorted));
        }
        return out;
    }


    /**
     * reverse_sql that puts back a restriction: rows written since the migration ran may break it,
     * and then the rollback fails half way (a NOT NULL, a unique or check constraint, a length limit,
     * a NOT NULL column without a default re-added to a table with rows).
     */
    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (!ctx.reverse() || !ctx.existingTable()) {
            return;
        }
        String what = switch (c.kind()) {
            case SET_NOT_NULL -> "sets NOT NULL on " + ctx.table() + "." + c.column() + " again: NULLs written since the "
                    + "migration ran make it fail";
            case ADD_CONSTRAINT -> c.has(DbChange.Flag.NOT_VALID) || c.constraint() == DbChange.Constraint.FOREIGN_KEY
                    ? null : "adds the " + c.constraint().name().replace('_', ' ') + " constraint " + (c.name() == null ? ""
                    : c.name() + " ") + "on " + ctx.table() + " again: rows written since that violate it make it fail";
            case CREATE_INDEX -> c.has(DbChange.Flag.UNIQUE) ? "builds the unique index " + (c.name() == null ? ""
                    : c.name() + " ") + "on " + ctx.table() + " again: duplicates written since make it fail" : null;
            case ALTER_COLUMN_TYPE -> c.type() != null && c.type().matches(".*\\(\\d+.*") ? "changes " + ctx.table() + "."
                    + c.column() + " back to " + c.type() + ": values written since that do not fit make it fail" : null;
            case ADD_COLUMN -> c.has(DbChange.Flag.NOT_NULL) && !c.has(DbChange.Flag.DEFAULT) && !c.has(DbChange.Flag.IDENTITY)
                    ? "re-adds " + ctx.table() + "." + c.column() + " NOT NULL without a default: it fails on a table with rows"
                    : null;
            default -> null;
        };
        if (what != null) {
            ctx.report(this, what, "make the reverse clean up first (e.g. an UPDATE that fixes the rows before the "
                    + "constraint), or accept and document that this migration cannot be unapplied once data changed");
        }
    }
}
