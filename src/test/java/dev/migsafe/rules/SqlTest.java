package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTest {

    @Test
    void splitsOutsideQuotesDollarQuotesAndComments() {
        assertEquals(List.of("SELECT ';'", "DROP TABLE t"), Sql.split("SELECT ';'; DROP TABLE t;"));
        assertEquals(List.of("SELECT 'it''s; here'", "X"), Sql.split("SELECT 'it''s; here'; X"));
        assertEquals(List.of("CREATE FUNCTION f() AS $body$ BEGIN; END; $body$ LANGUAGE plpgsql", "SELECT 2"),
                Sql.split("CREATE FUNCTION f() AS $body$ BEGIN; END; $body$ LANGUAGE plpgsql; SELECT 2"));
        assertEquals(List.of("SELECT $1"), Sql.split("SELECT $1; -- a; comment\n /* b; */"));
        assertEquals(List.of(), Sql.split("-- only a comment\n/* and; another */ ;  "));
    }

    @Test
    void readOnlyStatements() {
        assertTrue(Sql.changesNothing("SELECT 1"));
        assertTrue(Sql.changesNothing("select setval('s', 10)"));
        assertTrue(Sql.changesNothing("SELECT pg_catalog.setval(pg_get_serial_sequence('\"t\"','id'), "
                + "coalesce(max(\"id\"), 1), max(\"id\") IS NOT null) FROM \"t\""));
        assertTrue(Sql.changesNothing("SELECT count(*) FROM t WHERE x IN (SELECT y FROM u)"));
        assertTrue(Sql.changesNothing("SET LOCAL lock_timeout = '5s'"));
        assertTrue(Sql.changesNothing("RESET ALL"));
        assertTrue(Sql.changesNothing("ANALYZE shop_order"));
        assertTrue(Sql.changesNothing("EXPLAIN ANALYZE SELECT 1"));
        assertTrue(Sql.changesNothing("(SELECT 1)"));
    }

    @Test
    void everythingElseChangesSomething() {
        assertFalse(Sql.changesNothing("SELECT * INTO t2 FROM t"));
        assertFalse(Sql.changesNothing("SELECT id FROM t FOR UPDATE"));
        assertFalse(Sql.changesNothing("SELECT create_hypertable('t', 'id')"));
        assertFalse(Sql.changesNothing("SELECT myschema.setval('s', 1)"));
        assertFalse(Sql.changesNothing("SELECT \"my func\"()"));
        assertFalse(Sql.changesNothing("WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d"));
        assertFalse(Sql.changesNothing("EXPLAIN ANALYZE DELETE FROM t"));
        assertFalse(Sql.changesNothing("VACUUM t"));
        assertFalse(Sql.changesNothing("UPDATE t SET a = 1"));
        assertFalse(Sql.changesNothing("CREATE INDEX i ON t (a)"));
        assertFalse(Sql.changesNothing("DO $$ BEGIN PERFORM 1; END $$"));
    }

    @Test
    void rowChangesAreNoSchemaChange() {
        assertTrue(Sql.changesOnlyRows("UPDATE t SET a = 1"));
        assertTrue(Sql.changesOnlyRows("delete from t"));
        assertTrue(Sql.changesOnlyRows("SELECT setval('s', 1)"));
        assertFalse(Sql.changesOnlyRows("ALTER TABLE t DISABLE TRIGGER ALL"));
        assertFalse(Sql.changesOnlyRows("SELECT create_hypertable('t', 'id')"));
    }
}
