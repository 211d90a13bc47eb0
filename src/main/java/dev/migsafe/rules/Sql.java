package dev.migsafe.rules;

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
     * SET/RESET/SHOW of a setting; ANALYZE; EXPLAIN of such a statement.
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
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < st.length()) {
            char c = st.charAt(i);
            if (c == '\'' || c == '"') {
                out.append(c == '"' ? "\"q\"" : "''");
                i = endOfQuoted(st, i);
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

    /** Statements that only read or write rows: PostgreSQL allows no DDL inside WITH either. */
    private static final Set<String> ROW_VERBS = Set.of("insert", "update", "delete", "merge", "copy", "truncate",
            "with", "values");

    /**
     * Whether a statement changes at most rows, never the schema: INSERT, UPDATE, DELETE, MERGE,
     * COPY, TRUNCATE, WITH, or one that {@link #changesNothing changes nothing}. (A SELECT of an
     * unknown function is not among them: the function may run DDL.)
     */
    public static boolean changesOnlyRows(String statement) {
        Matcher first = WORD.matcher(statement.strip());
        return changesNothing(statement) || first.lookingAt() && ROW_VERBS.contains(first.group().toLowerCase(Locale.ROOT));
    }

    /** Whether every statement of a SQL text changes nothing (true for a text without statements). */
    public static boolean allChangeNothing(List<String> statements) {
        return statements.stream().allMatch(Sql::changesNothing);
    }
}
