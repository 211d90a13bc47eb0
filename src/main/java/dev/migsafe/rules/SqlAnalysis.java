package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.SqlReader;
import dev.migsafe.sql.SqlStatement;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the SQL of one operation (RunSQL's sql and reverse_sql, the SQL a RunPython function
 * runs) statement by statement: a change with a Django equivalent ({@link SqlEquivalents}) is
 * judged by the operation rules as that operation, and every change is shown to the rules that
 * judge SQL ({@link JudgesSql}). Returns the operation's locks.
 */
final class SqlAnalysis {

    /** Judges a Django operation that stands for a SQL statement; returns its locks. */
    interface EquivalentJudge {
        List<String> judge(OperationContext sqlOp, SqlOrigin origin, dev.migsafe.migration.Operation equivalent);
    }

    private final List<Rule> rules;
    private final SqlMemory memory = new SqlMemory();

    SqlAnalysis(List<Rule> rules) {
        this.rules = rules;
    }

    SqlMemory memory() {
        return memory;
    }

    /** Whether the operation is one whose SQL this reads. */
    static boolean runsSql(OperationContext ctx) {
        return "RunSQL".equals(ctx.type()) || "RunPython".equals(ctx.type());
    }

    List<String> judge(OperationContext ctx, EquivalentJudge equivalents) {
        Set<String> locks = new LinkedHashSet<>();
        Map<String, Integer> judgedAs = new LinkedHashMap<>();
        Set<String> phrases = new LinkedHashSet<>();
        SqlSources.Sources forward = SqlSources.forward(ctx);
        for (SqlSources.Text text : forward.texts()) {
            for (SqlStatement st : SqlReader.read(text.sql())) {
                for (DbChange c : st.changes()) {
                    ModelState m = SqlTables.model(ctx.state(), c.table());
                    Field f = SqlTables.field(m, c.column());
                    SqlContext sc = new SqlContext(ctx, st, c, text.where(), false, m, f, memory);
                    SqlEquivalents.Equivalent e = SqlEquivalents.of(c, m, f, ctx.op().line(), ctx.op().column());
                    if (e != null) {
                        SqlOrigin origin = new SqlOrigin(m.app(), text.where(), st.brief(100), e.name(),
                                SqlFixes.of(c, ctx.settings().postgresql()), e.skipped());
                        List<String> l = equivalents.judge(ctx, origin, e.op());
                        // The statement locks even where Django's operation would change nothing (SET NOT NULL
                        // on a column the state already has NOT NULL), and CONCURRENTLY / USING INDEX lock less.
                        boolean converts = c.kind() == DbChange.Kind.ALTER_COLUMN_TYPE && c.expression() != null;
                        locks.addAll(heldThrough(sc, e.skipped().isEmpty() && !l.isEmpty() && !converts ? l : SqlLocks.of(sc)));
                        judgedAs.merge(e.name(), 1, Integer::sum);
                    } else {
                        locks.addAll(SqlLocks.of(sc));
                    }
                    for (Rule r : rules) {
                        if (r instanceof JudgesSql js) {
                            judgeGuarded(r, js, sc);
                        }
                    }
                    recordLocks(locks, c);
                    phrases.add(phrase(c));
                    memory.record(c);
                    if (c.kind() == DbChange.Kind.SET && "lock_timeout".equals(c.detail())) {
                        ctx.migration().sqlLockTimeout(c.value());
                    }
                }
            }
        }
        for (SqlSources.Opaque o : forward.opaque()) {
            locks.add("depends on the SQL: " + o.where() + " runs SQL that is not a literal");
        }
        for (SqlSources.Text text : SqlSources.reverse(ctx).texts()) {
            for (SqlStatement st : SqlReader.read(text.sql())) {
                for (DbChange c : st.changes()) {
                    ModelState m = SqlTables.model(ctx.state(), c.table());
                    SqlContext sc = new SqlContext(ctx, st, c, text.where(), true, m, SqlTables.field(m, c.column()), memory);
                    for (Rule r : rules) {
                        if (r instanceof JudgesSql js) {
                            judgeGuarded(r, js, sc);
                        }
                    }
                }
            }
        }
        if (!phrases.isEmpty()) {
            List<String> shown = new ArrayList<>(phrases).subList(0, Math.min(4, phrases.size()));
            List<String> parts = new ArrayList<>();
            judgedAs.forEach((k, v) -> parts.add(v > 1 ? v + " x " + k : k));
            ctx.explain(("RunPython".equals(ctx.type()) ? "runs Python code and SQL: " : "runs SQL: ") + String.join("; ", shown) + (phrases.size() > 4 ? "; ..." : "")
                    + (parts.isEmpty() ? "" : " (judged as " + String.join(", ", parts) + ")"));
        }
        return new ArrayList<>(locks);
    }

    /**
     * A long step (an index build, a scan, a rewrite) on a table an earlier statement of this
     * atomic migration locked ACCESS EXCLUSIVE: that lock lasts until the commit, so reads wait for
     * the whole step too. (SqlLocks says so for the statements it describes itself.)
     */
    private List<String> heldThrough(SqlContext sc, List<String> locks) {
        DbChange c = sc.change();
        if (c.table() == null || !sc.atomic() || !"ACCESS EXCLUSIVE".equals(memory.lockedBefore(c.table().name()))) {
            return locks;
        }
        List<String> out = new ArrayList<>();
        for (String l : locks) {
            boolean long_ = l.contains("builds") || l.contains("rewrite") || l.contains("reads every row")
                    || l.contains("every row is checked");
            out.add(long_ && !l.startsWith("ACCESS EXCLUSIVE") && !l.contains("stays held") ? l + "; and ACCESS EXCLUSIVE on "
                    + c.table().name() + ", taken by an earlier statement of this migration, stays held through it "
                    + "(blocks reads and writes)" : l);
        }
        return out;
    }

    private static final java.util.regex.Pattern MODE_ON = java.util.regex.Pattern.compile(
            "^(ACCESS EXCLUSIVE|SHARE ROW EXCLUSIVE|EXCLUSIVE|SHARE) on ([a-zA-Z_][a-zA-Z0-9_$]*)");

    /**
     * The table locks this change took that last until the migration commits (SHARE and stronger:
     * a DDL statement's), for what later statements of the migration do under them.
     */
    private void recordLocks(Set<String> locks, DbChange c) {
        if (c.isRowWrite()) {
            return;
        }
        for (String l : locks) {
            java.util.regex.Matcher m = MODE_ON.matcher(l);
            if (m.find() && !m.group(2).equals("the")) {
                memory.locked(m.group(2), m.group(1));
            }
        }
    }

    /** A change in a few words, for the operation's reason: "SET DEFAULT on shop_order.note", "CREATE FUNCTION f". */
    static String phrase(DbChange c) {
        String verb = switch (c.kind()) {
            case CREATE_INDEX -> "CREATE " + (c.has(DbChange.Flag.UNIQUE) ? "UNIQUE " : "") + "INDEX"
                    + (c.has(DbChange.Flag.CONCURRENTLY) ? " CONCURRENTLY" : "");
            case DROP_INDEX -> "DROP INDEX" + (c.has(DbChange.Flag.CONCURRENTLY) ? " CONCURRENTLY" : "");
            case ADD_CONSTRAINT -> "ADD " + c.constraint().name().replace('_', ' ') + (c.has(DbChange.Flag.NOT_VALID)
                    ? " NOT VALID" : "");
            case UPDATE, DELETE -> c.kind().name() + (c.has(DbChange.Flag.WHERE) ? " ... WHERE" : "");
            case CREATE_OBJECT, DROP_OBJECT, ALTER_OBJECT -> c.kind().name().substring(0, c.kind().name().indexOf('_'))
                    + " " + (c.detail() == null ? "OBJECT" : c.detail().toUpperCase(java.util.Locale.ROOT));
            default -> c.kind().name().replace('_', ' ');
        };
        String target = c.table() != null ? c.table() + (c.column() != null ? "." + c.column() : "")
                : c.name() != null ? c.name() : "";
        boolean onTable = c.table() != null && switch (c.kind()) {
            case SET_DEFAULT, DROP_DEFAULT, SET_NOT_NULL, DROP_NOT_NULL, CREATE_INDEX, ADD_CONSTRAINT, VALIDATE_CONSTRAINT,
                    DROP_CONSTRAINT, CREATE_TRIGGER, DROP_TRIGGER, ALTER_COLUMN_TYPE, ALTER_COLUMN_OTHER, ALTER_TABLE_OTHER -> true;
            default -> false;
        };
        return (verb + (target.isEmpty() ? "" : (onTable ? " on " : " ") + target)).strip();
    }

    private static void judgeGuarded(Rule r, JudgesSql js, SqlContext sc) {
        try {
            js.checkSql(sc);
        } catch (RuntimeException | StackOverflowError e) {
            RuleFailure.onOperation(sc.operation(), RuleFailure.rule(r), e);
        }
    }
}
