package dev.migsafe.rules;

import dev.migsafe.migration.FieldSpec;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.DbChange.Constraint;
import dev.migsafe.sql.DbChange.Flag;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Django operation that makes the same change as a SQL statement, so that the C and L rules
 * judge the statement as they judge that operation: DROP COLUMN is RemoveField, ADD COLUMN is
 * AddField with the column's type, NOT NULL and DEFAULT (a database default, as db_default),
 * SET NOT NULL is AlterField(null=False), a CHECK is AddConstraint (NOT VALID:
 * AddConstraintNotValid), CREATE INDEX is AddIndex (UNIQUE: a UniqueConstraint), a table rename is
 * AlterModelTable. Null when the statement has no Django equivalent or the state does not know
 * the model or field it needs; the SQL rules ({@link JudgesSql}) judge those.
 */
final class SqlEquivalents {

    /** The operation and what the origin needs to word its findings. */
    record Equivalent(Operation op, String name, Set<String> skipped) {}

    private SqlEquivalents() {}

    static Equivalent of(DbChange c, ModelState m, Field f, int line, int column) {
        if (m == null) {
            return null;
        }
        Map<String, Value> kw = new LinkedHashMap<>();
        kw.put("model_name", str(m.name()));
        switch (c.kind()) {
            case ADD_COLUMN -> {
                if (f != null || c.has(Flag.IDENTITY) || c.constraint() == Constraint.PRIMARY_KEY) {
                    return null; // a column the state already maps (state_operations ran first), or a new key
                }
                SqlTypes.DjangoField type = SqlTypes.of(c.type());
                Map<String, Value> fkw = new LinkedHashMap<>(type.kwargs());
                fkw.put("null", bool(!c.has(Flag.NOT_NULL)));
                if (c.has(Flag.DEFAULT)) {
                    // A default written in SQL stays in the database: Django's db_default.
                    fkw.put("db_default", Volatility.volatileDefault(c)
                            ? new Value.Call("django.db.models.expressions.RawSQL", "RawSQL",
                                    List.of(new Value.Str(c.expression(), false, line, column)), Map.of(), line, column)
                            : new Value.Str(c.expression(), false, line, column));
                }
                if (c.constraint() == Constraint.UNIQUE) {
                    fkw.put("unique", bool(true));
                }
                if (c.has(Flag.GENERATED_STORED)) {
                    return null; // a stored generated column: L206 judges its rewrite from the SQL
                }
                FieldSpec spec = new FieldSpec(c.column(), type.fieldClass(), List.of(), fkw, line, column);
                kw.put("name", str(c.column()));
                kw.put("field", call(type.fieldClass(), fkw, line, column));
                return new Equivalent(op("AddField", "django.db.migrations.AddField", kw, spec, line, column), "AddField",
                        Set.of());
            }
            case DROP_COLUMN -> {
                if (f == null) {
                    return null;
                }
                kw.put("name", str(f.name()));
                return new Equivalent(op("RemoveField", "django.db.migrations.RemoveField", kw, null, line, column),
                        "RemoveField", Set.of());
            }
            case RENAME_COLUMN -> {
                if (f == null || f.isRelation()) {
                    return null;
                }
                if (f.column().equalsIgnoreCase(f.name())) {
                    kw.put("old_name", str(f.name()));
                    kw.put("new_name", str(c.name()));
                    return new Equivalent(op("RenameField", "django.db.migrations.RenameField", kw, null, line, column),
                            "RenameField", Set.of());
                }
                return alter(kw, f, Map.of("db_column", str(c.name())), "AlterField(db_column=\"" + c.name() + "\")", line, column);
            }
            case ALTER_COLUMN_TYPE -> {
                if (f == null || f.isRelation() || f.spec() == null) {
                    return null;
                }
                SqlTypes.DjangoField type = SqlTypes.of(c.type());
                String auto = SqlTypes.autoField(f.typeSimpleClass(), type.fieldClass());
                if (auto != null) {
                    type = new SqlTypes.DjangoField(auto, type.kwargs()); // the column keeps its sequence default
                }
                Map<String, Value> fkw = new LinkedHashMap<>(f.spec().kwargs());
                fkw.remove("max_length");
                fkw.remove("max_digits");
                fkw.remove("decimal_places");
                fkw.putAll(type.kwargs());
                FieldSpec spec = new FieldSpec(f.name(), type.fieldClass(), List.of(), fkw, line, column);
                kw.put("name", str(f.name()));
                kw.put("field", call(type.fieldClass(), fkw, line, column));
                return new Equivalent(op("AlterField", "django.db.migrations.AlterField", kw, spec, line, column),
                        "AlterField to " + c.type(), Set.of());
            }
            case SET_NOT_NULL -> {
                return f == null ? null : alter(kw, f, Map.of("null", bool(false)), "AlterField(null=False)", line, column);
            }
            case DROP_NOT_NULL -> {
                return f == null ? null : alter(kw, f, Map.of("null", bool(true)), "AlterField(null=True)", line, column);
            }
            case DROP_DEFAULT -> {
                if (f == null || !f.hasDbDefault()) {
                    return null; // Django writes every column it maps: a default only SQL set is not relied on
                }
                Equivalent e = alter(kw, f, Map.of(), "AlterField without db_default", line, column);
                e.op().field().kwargs().remove("db_default");
                return e;
            }
            case ADD_CONSTRAINT -> {
                return constraint(c, m, kw, line, column);
            }
            case CREATE_INDEX -> {
                List<Value> fields = fields(c, m);
                Map<String, Value> ikw = new LinkedHashMap<>();
                ikw.put("fields", new Value.ListV(fields, line, column));
                if (c.name() != null) {
                    ikw.put("name", str(c.name()));
                }
                if (c.has(Flag.UNIQUE)) {
                    kw.put("constraint", call("django.db.models.UniqueConstraint", ikw, line, column));
                    // CONCURRENTLY: no lock worth a word (L203 judges the transaction it needs).
                    // CREATE UNIQUE INDEX takes SHARE (writes wait), not AddConstraint's ACCESS EXCLUSIVE: its locks
                    // come from the SQL, and L201 judges the build (CONCURRENTLY: L203 the transaction it needs).
                    Set<String> skipped = Set.of("L201", "L208", "L205");
                    return new Equivalent(op("AddConstraint", "django.db.migrations.AddConstraint", kw, null, line, column),
                            "AddConstraint(UniqueConstraint)", skipped);
                }
                if (c.has(Flag.CONCURRENTLY)) {
                    return null; // AddIndexConcurrently: compatible; L203 judges the transaction from the SQL
                }
                kw.put("index", call("django.db.models.Index", ikw, line, column));
                return new Equivalent(op("AddIndex", "django.db.migrations.AddIndex", kw, null, line, column), "AddIndex",
                        Set.of());
            }
            case DROP_TABLE -> {
                Map<String, Value> dkw = new LinkedHashMap<>();
                dkw.put("name", str(m.name()));
                return new Equivalent(op("DeleteModel", "django.db.migrations.DeleteModel", dkw, null, line, column),
                        "DeleteModel", Set.of());
            }
            case RENAME_TABLE, SET_SCHEMA -> {
                Map<String, Value> tkw = new LinkedHashMap<>();
                tkw.put("name", str(m.name()));
                tkw.put("table", str(c.kind() == DbChange.Kind.SET_SCHEMA ? c.name() + "." + m.table() : c.name()));
                return new Equivalent(op("AlterModelTable", "django.db.migrations.AlterModelTable", tkw, null, line, column),
                        "AlterModelTable", Set.of());
            }
            default -> {
                return null;
            }
        }
    }

    private static Equivalent constraint(DbChange c, ModelState m, Map<String, Value> kw, int line, int column) {
        Map<String, Value> ckw = new LinkedHashMap<>();
        if (c.name() != null) {
            ckw.put("name", str(c.name()));
        }
        switch (c.constraint()) {
            case CHECK -> {
                ckw.put("check", new Value.Opaque(c.expression(), "a SQL condition", line, column));
                kw.put("constraint", call("django.db.models.CheckConstraint", ckw, line, column));
                boolean notValid = c.has(Flag.NOT_VALID);
                return new Equivalent(op(notValid ? "AddConstraintNotValid" : "AddConstraint",
                        notValid ? "django.contrib.postgres.operations.AddConstraintNotValid" : "django.db.migrations.AddConstraint",
                        kw, null, line, column), notValid ? "AddConstraintNotValid" : "AddConstraint(CheckConstraint)", Set.of());
            }
            case UNIQUE -> {
                List<Value> fields = new ArrayList<>();
                for (String col : c.columns()) {
                    Field f = SqlTables.field(m, col);
                    if (f == null) {
                        return null;
                    }
                    fields.add(str(f.name()));
                }
                if (c.has(Flag.USING_INDEX)) {
                    return null; // the unique index exists (and was judged when it was built): a brief catalog change
                }
                if (fields.isEmpty()) {
                    return null;
                }
                ckw.put("fields", new Value.ListV(fields, line, column));
                kw.put("constraint", call("django.db.models.UniqueConstraint", ckw, line, column));
                // USING INDEX: the index exists already; attaching it takes a brief lock.
                Set<String> skipped = c.has(Flag.USING_INDEX) ? Set.of("L201", "L208") : Set.of();
                return new Equivalent(op("AddConstraint", "django.db.migrations.AddConstraint", kw, null, line, column),
                        "AddConstraint(UniqueConstraint)", skipped);
            }
            case EXCLUDE -> {
                kw.put("constraint", call("django.contrib.postgres.constraints.ExclusionConstraint", ckw, line, column));
                return new Equivalent(op("AddConstraint", "django.db.migrations.AddConstraint", kw, null, line, column),
                        "AddConstraint(ExclusionConstraint)", Set.of());
            }
            default -> {
                return null; // FOREIGN KEY, PRIMARY KEY: judged from the SQL
            }
        }
    }

    /** The fields of an index's plain columns ("(a, b)", "USING gin (a)"); expressions leave the list empty. */
    private static List<Value> fields(DbChange c, ModelState m) {
        List<Value> out = new ArrayList<>();
        String e = c.expression() == null ? "" : c.expression();
        int open = e.indexOf('(');
        int close = e.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return out;
        }
        for (String part : e.substring(open + 1, close).split(",")) {
            String col = part.strip().split("\\s+")[0].replace("\"", "");
            Field f = SqlTables.field(m, col);
            if (f == null) {
                return new ArrayList<>();
            }
            out.add(str(f.name()));
        }
        return out;
    }

    private static Equivalent alter(Map<String, Value> kw, Field f, Map<String, Value> change, String name, int line, int column) {
        if (f.spec() == null) {
            return null;
        }
        Map<String, Value> fkw = new LinkedHashMap<>(f.spec().kwargs());
        fkw.putAll(change);
        FieldSpec spec = new FieldSpec(f.name(), f.spec().fieldClass(), f.spec().args(), fkw, line, column);
        kw.put("name", str(f.name()));
        kw.put("field", new Value.Call(f.spec().fieldClass(), f.spec().fieldClass(), f.spec().args(), fkw, line, column));
        return new Equivalent(op("AlterField", "django.db.migrations.AlterField", kw, spec, line, column), name, Set.of());
    }

    private static Operation op(String type, String qualified, Map<String, Value> kwargs, FieldSpec field, int line, int column) {
        return new Operation(type, qualified, line, column, List.of(), kwargs, field, List.of(), List.of(), List.of());
    }

    private static Value call(String callee, Map<String, Value> kwargs, int line, int column) {
        return new Value.Call(callee, callee, List.of(), kwargs, line, column);
    }

    private static Value str(String s) {
        return new Value.Str(s, false, 0, 0);
    }

    private static Value bool(boolean b) {
        return new Value.Bool(b, 0, 0);
    }
}
