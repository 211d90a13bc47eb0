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
                                SqlFixes.of(c), e.skipped());
                        List<String> l = equivalents.judge(ctx, origin, e.op());
                        locks.addAll(e.skipped().isEmpty() ? l : SqlLocks.of(sc));
                        judgedAs.merge(e.name(), 1, Integer::sum);
                    } else {
                        locks.addAll(SqlLocks.of(sc));
                    }
                    for (Rule r : rules) {
                        if (r instanceof JudgesSql js) {
                            judgeGuarded(r, js, sc);
                        }
                    }
                    if (sc.existingTable() && c.table() != null && !c.isRowWrite() && c.kind() != DbChange.Kind.SELECT) {
                        memory.locked(c.table().name(), "ACCESS EXCLUSIVE");
                    }
                    memory.record(c);
                    if (c.kind() == DbChange.Kind.SET && "lock_timeout".equals(c.detail())) {
                        ctx.migration().sqlLockTimeout(c.value());
                    }
                }
            }
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
        if (!judgedAs.isEmpty()) {
            List<String> parts = new ArrayList<>();
            judgedAs.forEach((k, v) -> parts.add(v > 1 ? v + " x " + k : k));
            ctx.explain("its SQL judged as " + String.join(", ", parts));
        }
        return new ArrayList<>(locks);
    }

    private static void judgeGuarded(Rule r, JudgesSql js, SqlContext sc) {
        try {
            js.checkSql(sc);
        } catch (RuntimeException | StackOverflowError e) {
            RuleFailure.onOperation(sc.operation(), RuleFailure.rule(r), e);
        }
    }
}
