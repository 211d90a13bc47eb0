package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.SqlReader;
import dev.migsafe.sql.SqlStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SQL nobody writes on purpose: the reader must come back with statements (UNKNOWN where it
 * cannot read them), never throw, never run away. (No timing is asserted; a run-away would hang
 * the suite, which surefire reports.)
 */
class HostileSqlTest {

    @Test
    void deepNestingIsUnknownNotAStackOverflow() {
        String deep = "SELECT " + "(".repeat(100_000) + "1" + ")".repeat(100_000);
        List<SqlStatement> st = SqlReader.read(deep + "; DROP TABLE shop_order");
        assertEquals(2, st.size());
        assertEquals(DbChange.Kind.DROP_TABLE, st.get(1).changes().get(0).kind(), "the next statement is still read");
    }

    @Test
    void unterminatedQuotesRunToTheEnd() {
        for (String sql : List.of("SELECT $$ never closed; DROP TABLE x", "SELECT 'never closed; DROP TABLE x",
                "SELECT \"never closed; DROP TABLE x", "SELECT 1 /* never closed; DROP TABLE x", "SELECT E'\\")) {
            List<SqlStatement> st = SqlReader.read(sql);
            assertEquals(1, st.size(), sql);
        }
    }

    @Test
    void aHugeStatementIsReadFromItsFirstWordsOnly() {
        StringBuilder sql = new StringBuilder("INSERT INTO shop_order (note) VALUES ");
        for (int i = 0; i < 120_000; i++) {
            sql.append(i == 0 ? "" : ",").append("('x')");
        }
        List<SqlStatement> st = SqlReader.read(sql.toString());
        assertEquals(1, st.size());
        assertFalse(st.get(0).changes().isEmpty());
    }

    @Test
    void manyStatementsAndOddCharacters() {
        String sql = "SELECT 1;".repeat(20_000) + "\u0000\uFFFF\uD800 ALTER TABLE \u00e9t\u00e9 DROP COLUMN \u00e0;";
        List<SqlStatement> st = SqlReader.read(sql);
        assertEquals(20_001, st.size());
        assertTrue(st.stream().allMatch(s -> !s.changes().isEmpty()));
    }

    @Test
    void unbalancedParenthesesAndKeywordsOnly() {
        for (String sql : List.of(")))(((", "ALTER TABLE", "ALTER TABLE t ALTER COLUMN", "CREATE", "UPDATE SET WHERE",
                "(((SELECT", "DROP INDEX CONCURRENTLY", "LOCK", ";;;;", "$1$2$3", "%(x)s %s {} {y}")) {
            SqlReader.read(sql); // returns: unknown or read, never an exception
        }
    }
}
