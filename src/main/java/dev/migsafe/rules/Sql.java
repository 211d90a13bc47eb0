package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, conservative reading of raw SQL until a real SQL grammar exists: statements split on
 * {@code ;} outside quotes, dollar quotes and comments, and a test for statements that clearly
 * change neither the schema nor any row (a SELECT of known functions, SET/RESET/SHOW, ANALYZE).
 * Anything it is not sure of counts as a change: a false "changes nothing" would hide DDL.
 */
public final class Sql {

    private Sql() {}

    /** The statements of a SQL text, comments removed and blanks dropped, in order. */
    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                current.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = endOfQuoted(sql, i);
                current.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(out, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    /** The index after the quoted literal or identifier that starts at i (a doubled quote is the quote itself). */
    private static int endOfQuoted(String s, int i) {
        char q = s.charAt(i);
        int j = i + 1;
        while (j < s.length()) {
            if (s.charAt(j) == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    private static void add(List<String> out, StringBuilder current) {
        String st = current.toString().strip();
        if (!st.isEmpty()) {
            out.add(st);
        }
        current.setLength(0);
    }

    private static final Pattern DOLLAR = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    /** The $tag$ opening a dollar-quoted string at i, or null ($1 is a parameter, not a quote). */
    private static String dollarTag(String sql, int i) {
        Matcher m = DOLLAR.matcher(sql);
        m.region(i, sql.length());
        if (!m.lookingAt()) {
            return null;
        }
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
            return null; // part of an identifier such as a$b
        }
        return m.group();
    }

    /**
     * Functions a SELECT may call and still change no schema and no row: aggregates, scalar
     * helpers, catalog look-ups, and sequence functions (setval moves a sequence, which old code
     * does not notice). Any other function may have side effects (create_hypertable, a
     * project's trigger helper), so a SELECT calling it is not read-only here.
     */
    private static final Set<String> HARMLESS_FUNCTIONS = Set.of("setval", "nextval", "currval", "lastval",
            "pg_get_serial_sequence", "coalesce", "nullif", "greatest", "least", "max", "min", "count", "sum", "avg",
            "lower", "upper", "length", "char_length", "concat", "substring", "trim", "replace", "now",
            "current_setting", "set_config", "to_regclass", "version", "abs", "round", "cast",
            "exists", "array_agg", "string_agg", "jsonb_build_object", "json_build_object", "format", "unnest",
            "array_length", "string_to_array", "regexp_replace", "split_part", "to_char", "date_trunc", "extract",
            "position", "jsonb_array_elements", "json_array_elements", "generate_series", "pg_get_constraintdef",
            "pg_get_indexdef", "pg_get_viewdef", "pg_get_functiondef", "pg_get_triggerdef", "pg_relation_size",
            "pg_total_relation_size", "pg_table_size", "quote_ident", "quote_literal");

    /** Words that are followed by "(" without being a function call. */
    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "and", "or", "not", "in", "any",
            "all", "some", "on", "join", "as", "values", "by", "having", "is", "then", "else", "when", "case",
            "distinct", "filter", "over", "partition", "using", "between", "like", "ilike", "union", "except",
            "intersect", "limit", "offset", "lateral", "array", "row", "null", "with", "ordinality", "interval");

    /** Words that make any SELECT a write, a DDL or a row lock. */
    private static final Set<String> WRITES = Set.of("into", "insert", "update", "delete", "merge", "truncate",
            "create", "alter", "drop", "grant", "revoke", "copy", "call", "do", "execute", "lock", "refresh",
            "reindex", "cluster", "vacuum", "comment", "for");

    private static final Pattern QUOTED_CALL = Pattern.compile("\"q\"\\s*\\(");

    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*(?:\\.[A-Za-z_][A-Za-z_0-9$]*)*");

    /**
     * Whether a statement (one of {@link #split}) clearly changes no schema and no row: a SELECT
     * without INTO, FOR UPDATE/SHARE or a write inside, whose functions are all known to be harmless;
     * SET/RESET/SHOW of a setting; ANALYZE; SQLite's PRAGMA; EXPLAIN of such a statement.
     */
    public static boolean changesNothing(String statement) {
        String code = stripLiterals(statement).strip();
        Matcher first = WORD.matcher(code);
        if (!first.lookingAt()) {
            return code.startsWith("(") && changesNothing(code.substring(1)); // (SELECT ...)
        }
        String verb = first.group().toLowerCase(Locale.ROOT);
        String rest = code.substring(first.end());
        return switch (verb) {
            case "select" -> readOnlySelect(rest);
            // Settings of the session or transaction (lock_timeout, search_path, SET CONSTRAINTS) and
            // planner statistics (ANALYZE takes SHARE UPDATE EXCLUSIVE, which blocks no read or write).
            case "set", "reset", "show", "analyze", "analyse" -> true;
            // SQLite's connection settings (legacy_alter_table, foreign_keys: Django's own schema
            // editor sets them); writable_schema lets the statements after it edit the schema itself.
            case "pragma" -> !rest.toLowerCase(Locale.ROOT).contains("writable_schema");
            // EXPLAIN ANALYZE runs the statement: judge the statement.
            case "explain" -> changesNothing(rest.replaceFirst("(?s)^\\s*\\([^)]*\\)", "")
                    .replaceFirst("(?i)^\\s*(analy[sz]e\\s+)?(verbose\\s+)?", ""));
            default -> false;
        };
    }

    private static boolean readOnlySelect(String rest) {
        if (QUOTED_CALL.matcher(rest).find()) {
            return false; // "my function"(...): a function the lists cannot vouch for
        }
        Matcher m = WORD.matcher(rest);
        while (m.find()) {
            String word = m.group().toLowerCase(Locale.ROOT);
            String last = word.substring(word.lastIndexOf('.') + 1);
            if (WRITES.contains(last) && !word.contains(".")) {
                return false;
            }
            int after = m.end();
            while (after < rest.length() && Character.isWhitespace(rest.charAt(after))) {
                after++;
            }
            boolean call = after < rest.length() && rest.charAt(after) == '(';
            boolean qualified = word.contains(".") && !word.startsWith("pg_catalog.");
            if (call && (qualified || !KEYWORDS.contains(word) && !HARMLESS_FUNCTIONS.contains(last))) {
                return false;
            }
        }
        return true;
    }

    /** The statement with the content of string literals and quoted identifiers blanked out. */
    private static String stripLiterals(String st) {
        return masked(st, false);
    }

    /**
     * Whether a statement changes at most rows, never the schema: it {@link #changesNothing changes
     * nothing} or is a {@link #rowWrite row write}. (A SELECT of an unknown function is not among
     * them: the function may run DDL.)
     */
    public static boolean changesOnlyRows(String statement) {
        return changesNothing(statement) || rowWrite(statement) != null;
    }

    /** A statement that writes rows and nothing else: its verb (UPDATE, INSERT, ...) and the tables it writes. */
    public record RowWrite(String verb, List<String> tables) {

        /** "UPDATE shop_alert", "WITH ... shop_alert, shop_archive". */
        public String describe() {
            return (verb.equals("WITH") ? "WITH ... " : verb + " ") + String.join(", ", tables);
        }
    }

    /** A table name: plain or quoted identifiers, schema-qualified, or a placeholder of a SQL template (%s, {}, {table}). */
    private static final String NAME = "(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z_0-9$]*|%s|%\\(\\w+\\)s|\\{\\w*\\})"
            + "(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z_0-9$]*|%s|\\{\\w*\\}))*";

    /**
     * Where a statement, or a data-modifying WITH query inside one, names the table it writes
     * (MySQL's multi-table DELETE t FROM t JOIN ... names it before FROM).
     */
    private static final Pattern TARGET = Pattern.compile("(?i)\\b(insert\\s+(?:(?:ignore|or\\s+\\w+)\\s+)?into|update(?:\\s+only)?|delete(?:\\s+from)?(?:\\s+only)?"
            + "|merge\\s+into(?:\\s+only)?)\\s+(" + NAME + ")");

    /** COPY table FROM a file or STDIN; COPY ... FROM PROGRAM runs a shell command, COPY ... TO writes a file. */
    private static final Pattern COPY_FROM = Pattern.compile("(?is)^copy\\s+(" + NAME + ")\\s*(?:\\([^)]*\\))?\\s*from\\s+(?!program\\b).*");

    /** Words before UPDATE that make it no write of a table: FOR [NO KEY] UPDATE, ON CONFLICT DO UPDATE, MERGE's THEN UPDATE. */
    private static final Set<String> NOT_A_TARGET = Set.of("for", "key", "do", "then");

    /**
     * The rows a statement writes, when that is all it does: INSERT, UPDATE, DELETE or MERGE (with
     * or without WHERE), COPY ... FROM a file or STDIN, or a WITH whose queries write rows
     * (PostgreSQL allows no DDL inside any of them). Null for everything else, and so for
     * TRUNCATE (ACCESS EXCLUSIVE, and no row triggers), LOCK, DO and CALL, DDL, and writes to
     * PostgreSQL's catalogs (pg_*, information_schema), which change the schema behind its back.
     * Functions called inside are taken to compute values, as a data migration's ORM expressions do.
     */
    public static RowWrite rowWrite(String statement) {
        String code = blankStrings(statement).strip();
        Matcher first = WORD.matcher(code);
        if (!first.lookingAt()) {
            return null;
        }
        String verb = first.group().toUpperCase(Locale.ROOT);
        List<String> tables = new ArrayList<>();
        switch (verb) {
            case "COPY" -> {
                Matcher m = COPY_FROM.matcher(code);
                if (!m.matches()) {
                    return null;
                }
                tables.add(unquote(m.group(1)));
            }
            case "INSERT", "UPDATE", "DELETE", "MERGE", "WITH" -> {
                Matcher m = TARGET.matcher(code);
                while (m.find()) {
                    String before = code.substring(0, m.start()).strip();
                    String previous = before.substring(before.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT);
                    String table = unquote(m.group(2));
                    if (NOT_A_TARGET.contains(previous) || table.equalsIgnoreCase("set")) {
                        continue;
                    }
                    if (!tables.contains(table)) {
                        tables.add(table);
                    }
                }
                if (tables.isEmpty() || !verb.equals("WITH") && !TARGET.matcher(code).lookingAt()) {
                    return null; // a WITH that writes nothing, or a statement not opened by its own verb
                }
            }
            default -> {
                return null;
            }
        }
        return tables.stream().anyMatch(Sql::catalog) ? null : new RowWrite(verb, tables);
    }

    /** Whether a table is a catalog of the database (pg_index, pg_catalog.pg_constraint, information_schema, sqlite_master...). */
    public static boolean catalog(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        String schema = t.contains(".") ? t.substring(0, t.indexOf('.')) : "";
        String name = t.substring(t.lastIndexOf('.') + 1);
        return name.startsWith("pg_") || schema.equals("pg_catalog") || schema.equals("information_schema")
                || schema.equals("mysql") || name.equals("sqlite_master") || name.equals("sqlite_schema");
    }

    /** A table name as written, without quotes and blanks: "public"."shop_alert" -> public.shop_alert. */
    private static String unquote(String name) {
        return name.replaceAll("\\s*\\.\\s*", ".").replace("\"\"", "\u0000").replace("\"", "").replace('\u0000', '"');
    }

    /** The statement with the content of string literals and dollar quotes blanked out, identifiers kept. */
    private static String blankStrings(String st) {
        return masked(st, true);
    }

    /**
     * The statement with string literals and dollar-quoted bodies blanked to {@code ''}; quoted
     * identifiers kept as written, or blanked to {@code "q"} when {@code keepIdentifiers} is false.
     */
    private static String masked(String st, boolean keepIdentifiers) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < st.length()) {
            char c = st.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfQuoted(st, i);
                out.append(c == '"' ? (keepIdentifiers ? st.substring(i, end) : "\"q\"") : "''");
                i = end;
            } else if (c == '$' && dollarTag(st, i) != null) {
                String tag = dollarTag(st, i);
                int end = st.indexOf(tag, i + tag.length());
                out.append("''");
                i = end < 0 ? st.length() : end + tag.length();
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The row writes of a SQL text when every statement either {@link #changesNothing changes
     * nothing} or is a {@link #rowWrite row write} and at least one writes; null otherwise.
     */
    public static List<RowWrite> onlyRowWrites(List<String> statements) {
        List<RowWrite> out = new ArrayList<>();
        for (String st : statements) {
            RowWrite w = rowWrite(st);
            if (w != null) {
                out.add(w);
            } else if (!changesNothing(st)) {
                return null;
            }
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * The statements of a RunSQL sql argument that is literal (a str, RunSQL.noop, or a list/tuple
     * of str and (sql, params) pairs), split with {@link #split}; null when some part is not literal.
     */
    public static List<String> statementsOf(Value sql) {
        List<String> out = new ArrayList<>();
        if (sql == null || sql instanceof Value.Ref r && r.source().endsWith("noop")) {
            return out;
        }
        if (sql instanceof Value.Str s) {
            return split(s.value());
        }
        List<Value> items = Py.items(sql);
        if (items == null) {
            return null;
        }
        for (Value item : items) {
            Value text = item instanceof Value.TupleV t && !t.items().isEmpty() ? t.items().get(0)
                    : item instanceof Value.ListV l && !l.items().isEmpty() ? l.items().get(0) : item;
            List<String> inner = text instanceof Value.Str ? statementsOf(text) : null;
            if (inner == null) {
                return null;
            }
            out.addAll(inner);
        }
        return out;
    }

    /** Whether every statement of a SQL text changes nothing (true for a text without statements). */
    public static boolean allChangeNothing(List<String> statements) {
        return statements.stream().allMatch(Sql::changesNothing);
    }
}
