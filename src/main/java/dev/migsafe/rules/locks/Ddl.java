package dev.migsafe.rules.locks;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Operators;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.Sql;
import dev.migsafe.rules.TogetherSets;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the lock rules and {@link LockDescriptions} need to know about an operation's DDL: which
 * operations run DDL at all, what a constraint builds, whether a RunSQL moves data or changes the
 * schema, whether a database default is volatile, and the user's names for the fixes.
 */
final class Ddl {

    private Ddl() {}

    /** Operations that touch no table: Python-side state, extensions and collations. */
    static final Set<String> NO_TABLE = Set.of("AlterModelOptions", "AlterModelManagers", "AlterConstraint",
            "RunPython", "CreateExtension", "BloomExtension", "BtreeGinExtension", "BtreeGistExtension",
            "CITextExtension", "CryptoExtension", "HStoreExtension", "TrigramExtension", "UnaccentExtension",
            "CreateCollation", "RemoveCollation");

    /** django.contrib.postgres operations that cannot run inside a transaction. */
    static boolean concurrent(String type) {
        return "AddIndexConcurrently".equals(type) || "RemoveIndexConcurrently".equals(type);
    }

    /** django.contrib.postgres operations that only exist on PostgreSQL. */
    static boolean postgresOnly(String type) {
        return concurrent(type) || "AddConstraintNotValid".equals(type) || "ValidateConstraint".equals(type);
    }

    /** A top-level operation and, for SeparateDatabaseAndState, its database operations, with the top-level index. */
    record Indexed(Operation op, int index) {}

    /** The operations a migration runs against the database, in order (state_operations left out). */
    static List<Indexed> databaseOperations(List<Operation> operations) {
        List<Indexed> out = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            flatten(operations.get(i), i, out);
        }
        return out;
    }

    private static void flatten(Operation op, int index, List<Indexed> out) {
        if ("SeparateDatabaseAndState".equals(op.type())) {
            op.databaseOperations().forEach(db -> flatten(db, index, out));
        } else {
            out.add(new Indexed(op, index));
        }
    }

    // ---- constraints and indexes -------------------------------------------------------------

    enum ConstraintKind { CHECK, UNIQUE, UNIQUE_INDEX, EXCLUSION, OTHER }

    /**
     * What AddConstraint builds: a CHECK, a UNIQUE constraint (ALTER TABLE ADD CONSTRAINT, ACCESS
     * EXCLUSIVE on PostgreSQL), a unique index (a UniqueConstraint with condition, expressions,
     * include or opclasses: CREATE UNIQUE INDEX, SHARE), an exclusion constraint, or something else.
     */
    static ConstraintKind constraintKind(Value constraint) {
        if (!(constraint instanceof Value.Call c)) {
            return ConstraintKind.OTHER;
        }
        return switch (c.simpleName()) {
            case "CheckConstraint" -> ConstraintKind.CHECK;
            case "UniqueConstraint" -> c.kwargs().containsKey("condition") || !c.args().isEmpty()
                    || c.kwargs().containsKey("include") || c.kwargs().containsKey("opclasses")
                    ? ConstraintKind.UNIQUE_INDEX : ConstraintKind.UNIQUE;
            case "ExclusionConstraint" -> ConstraintKind.EXCLUSION;
            default -> ConstraintKind.OTHER;
        };
    }

    /** The name= of an Index or constraint call, or null. */
    static String nameOf(Value v) {
        return v instanceof Value.Call c && c.arg(-1, "name") instanceof Value.Str s ? s.value() : null;
    }

    /** The sets of a unique_together / index_together value, each as its field names in the order written ("a, b"); null when not literal. */
    static Set<String> togetherSets(Value v) {
        List<List<String>> sets = TogetherSets.of(v);
        if (sets == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        sets.forEach(set -> out.add(String.join(", ", set)));
        return out;
    }


    /** Sets in {@code after} that {@code before} lacks, whatever the order of their fields (both non-null). */
    static Set<String> added(Set<String> before, Set<String> after) {
        Set<String> known = new java.util.HashSet<>();
        before.forEach(set -> known.add(sorted(set)));
        Set<String> out = new LinkedHashSet<>();
        for (String set : after) {
            if (!known.contains(sorted(set))) {
                out.add(set);
            }
        }
        return out;
    }

    private static String sorted(String set) {
        List<String> fields = new ArrayList<>(List.of(set.split(", ")));
        fields.sort(null);
        return String.join(", ", fields);
    }

    // ---- RunSQL ------------------------------------------------------------------------------

    enum SqlKind { NONE, DATA, SCHEMA, UNKNOWN }

    private static final Set<String> DATA_VERBS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "WITH",
            "SELECT", "TRUNCATE", "VALUES");

    /**
     * What a RunSQL's forward SQL does: nothing (empty, RunSQL.noop, or only statements that
     * {@link Sql#changesNothing change nothing}), data (every other statement is INSERT/UPDATE/DELETE/...),
     * schema (some statement is DDL), or unknown (not a literal).
     */
    static SqlKind sqlKind(Operation op) {
        List<String> statements = statements(op.arg(0, "sql"));
        if (statements == null) {
            return SqlKind.UNKNOWN;
        }
        SqlKind kind = SqlKind.NONE;
        for (String st : statements) {
            if (Sql.changesNothing(st)) {
                continue; // SELECT setval(...), SET lock_timeout, ANALYZE: no row moves, no DDL
            }
            String verb = st.split("[\\s(]+", 2)[0].toUpperCase(Locale.ROOT);
            if (DATA_VERBS.contains(verb)) {
                kind = kind == SqlKind.NONE ? SqlKind.DATA : kind;
            } else {
                kind = SqlKind.SCHEMA;
            }
        }
        return kind;
    }

    /** The statements of a literal sql argument (str, or a list of str / (str, params)); null when not literal. */
    static List<String> statements(Value sql) {
        return Sql.statementsOf(sql);
    }

    private static final Pattern CONCURRENT_SQL = Pattern.compile(
            "\\b(CREATE\\s+(UNIQUE\\s+)?INDEX|DROP\\s+INDEX|REINDEX\\s+\\w+)\\s+CONCURRENTLY\\b", Pattern.CASE_INSENSITIVE);

    /** The first statement of a literal RunSQL that PostgreSQL refuses inside a transaction block, or null. */
    static String concurrentStatement(Operation op) {
        List<String> statements = statements(op.arg(0, "sql"));
        if (statements != null) {
            for (String st : statements) {
                if (CONCURRENT_SQL.matcher(st).find()) {
                    return st.length() > 80 ? st.substring(0, 77) + "..." : st;
                }
            }
        }
        return null;
    }

    // ---- defaults and generated columns ------------------------------------------------------

    /**
     * Whether a db_default expression is volatile on PostgreSQL (evaluated per row, so ADD COLUMN
     * rewrites the table): TRUE for Random(), RandomUUID(), UUID4()/UUID7(), Func(function=...) or
     * RawSQL naming random/uuid/clock_timestamp/nextval, anywhere inside Django's expressions and
     * arithmetic operators ({@code Concat(Value("x"), Round(Random() * 10000))}); FALSE for
     * constants and Django's other expressions (Now() is STATEMENT_TIMESTAMP(), which is stable:
     * PostgreSQL evaluates it once and stores the value); null for a callee that is not Django's
     * (its volatility is unknown). Operators are read from the migration file's source.
     */
    static Boolean volatileDefault(Value v, OperationContext ctx) {
        return volatileDefault(v, ctx.migration().file(), 0);
    }

    private static Boolean volatileDefault(Value v, MigrationFile file, int depth) {
        if (depth > 50) {
            return null;
        }
        if (v instanceof Value.Opaque) {
            Operators.Split split = Operators.of(v, file);
            return split == null ? null : any(split.operands(), file, depth);
        }
        if (!(v instanceof Value.Call c)) {
            return false;
        }
        String name = c.simpleName().toLowerCase(Locale.ROOT);
        if (name.contains("random") || name.contains("uuid")) {
            return true;
        }
        Value sql = name.equals("func") ? c.kwargs().get("function") : name.equals("rawsql") ? c.arg(0, "sql") : null;
        if (sql instanceof Value.Str f && dev.migsafe.rules.Volatility.NAME.matcher(f.value()).find()) {
            return true;
        }
        if (!c.callee().startsWith("django.")) {
            return null;
        }
        List<Value> inner = new ArrayList<>(c.args());
        inner.addAll(c.kwargs().values());
        return any(inner, file, depth);
    }

    /** TRUE when one value is volatile, else null when one is unknown, else FALSE. */
    private static Boolean any(List<Value> values, MigrationFile file, int depth) {
        Boolean out = false;
        for (Value arg : values) {
            Boolean inner = volatileDefault(arg, file, depth + 1);
            if (Boolean.TRUE.equals(inner)) {
                return true;
            }
            if (inner == null) {
                out = null;
            }
        }
        return out;
    }

    /** A GeneratedField stored in the table (db_persist=True): TRUE/FALSE, null when not a literal; FALSE for other fields. */
    static Boolean storedGenerated(Field f) {
        if (!f.simpleClass().equals("GeneratedField")) {
            return false;
        }
        return f.bool("db_persist", false);
    }

    // ---- SQLite's table rebuilds ---------------------------------------------------------------

    /**
     * Why Django's SQLite backend rebuilds the table to add this field (its add_field: a primary
     * key, a unique or NOT NULL column, a default, an expression as db_default), "" when ALTER
     * TABLE ADD COLUMN does, null when a non-literal null/unique hides it.
     */
    static String sqliteAddRebuild(Field f) {
        if (f.isManyToMany() || !f.hasColumn()) {
            return "";
        }
        Boolean notNull = FieldChange.notNull(f);
        Boolean unique = FieldChange.unique(f);
        if (f.primaryKey()) {
            return "a primary key";
        }
        if (Boolean.TRUE.equals(unique)) {
            return "a unique column";
        }
        if (Boolean.TRUE.equals(notNull)) {
            return "a NOT NULL column";
        }
        if (f.has("default") && !(f.kw("default") instanceof Value.None)
                || Boolean.TRUE.equals(f.bool("auto_now", false)) || Boolean.TRUE.equals(f.bool("auto_now_add", false))) {
            return "a column with a default";
        }
        if (f.hasDbDefault() && !Py.isConstant(f.kw("db_default"))) {
            return "a column with an expression as db_default";
        }
        return notNull == null || unique == null ? null : "";
    }

    /** Django's SQLite backend drops a plain column with DROP COLUMN, but rebuilds the table for an indexed, unique, related or key column. */
    static boolean sqliteRemoveRebuilds(Field f) {
        return f.hasColumn() && (f.primaryKey() || !Boolean.FALSE.equals(f.unique()) || !Boolean.FALSE.equals(f.indexed())
                || !Boolean.FALSE.equals(FieldChange.foreignKey(f)));
    }

    // ---- the user's names --------------------------------------------------------------------

    /** The table of a relation's target model (state key), or Django's default name for a model the state lacks. */
    static String tableOf(ProjectState state, String modelKey) {
        if (modelKey == null) {
            return "<target table>";
        }
        ModelState m = state.model(modelKey);
        return m != null ? m.table() : modelKey.replace('.', '_');
    }

    /** The primary key column of a relation's target (default "id"). */
    static String keyColumnOf(ProjectState state, String modelKey) {
        ModelState m = modelKey == null ? null : state.model(modelKey);
        Field pk = m == null ? null : m.primaryKey();
        return pk == null ? "id" : pk.column();
    }

    /** The model name as the operation writes it, quoted for Python: "order". */
    static String modelArg(OperationContext ctx) {
        return "\"" + (ctx.modelName() == null ? "<model>" : ctx.modelName()) + "\"";
    }

    /** An index name Django accepts (at most 30 characters) for a field index of the model. */
    static String indexName(String model, String column) {
        String name = ((model == null ? "model" : model) + "_" + column).toLowerCase(Locale.ROOT);
        if (name.length() > 26) {
            name = name.substring(0, 26);
        }
        return name + "_idx";
    }

    /**
     * The name Django's schema editor gives an index it creates for columns (its
     * _create_index_name: table, columns and 8 hex digits of an MD5 over them, shortened to
     * PostgreSQL's 63 characters), e.g. auth_permission_content_type_id_2f476e4b.
     */
    static String djangoIndexName(String table, List<String> columns, String suffix) {
        String hash;
        try {
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            md5.update(table.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            columns.forEach(c -> md5.update(c.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            hash = java.util.HexFormat.of().formatHex(md5.digest()).substring(0, 8) + suffix;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int max = 63;
        String joined = String.join("_", columns);
        String name = table + "_" + joined + "_" + hash;
        if (name.length() <= max) {
            return name;
        }
        if (hash.length() > max / 3) {
            hash = hash.substring(0, max / 3);
        }
        int other = (max - hash.length()) / 2 - 1;
        name = table.substring(0, Math.min(other, table.length())) + "_"
                + joined.substring(0, Math.min(other, joined.length())) + "_" + hash;
        if (name.charAt(0) == '_' || Character.isDigit(name.charAt(0))) {
            name = "D" + name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** The field as Python source, with some keyword arguments replaced or added (value source; null removes). */
    static String fieldSource(Field f, Map<String, String> overrides) {
        String cls = f.fieldClass();
        String callee = cls.startsWith("django.db.models.") ? "models." + f.simpleClass()
                : cls.startsWith("django.contrib.postgres.fields.") ? f.simpleClass() : cls;
        List<String> parts = new ArrayList<>();
        f.spec().args().forEach(a -> parts.add(Py.source(a)));
        for (Map.Entry<String, Value> e : f.spec().kwargs().entrySet()) {
            if (!overrides.containsKey(e.getKey())) {
                parts.add(e.getKey() + "=" + Py.source(e.getValue()));
            }
        }
        overrides.forEach((k, v) -> {
            if (v != null) {
                parts.add(k + "=" + v);
            }
        });
        return callee + "(" + String.join(", ", parts) + ")";
    }
}
