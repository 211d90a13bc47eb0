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
        assertTrue(Sql.changesNothing("PRAGMA legacy_alter_table = OFF"));
        assertFalse(Sql.changesNothing("PRAGMA writable_schema = ON"));
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

    @Test
    void rowWritesNameTheirTables() {
        assertEquals(new Sql.RowWrite("UPDATE", List.of("utils_alert")),
                Sql.rowWrite("UPDATE utils_alert SET scope = 'TUTORIAL' WHERE scope = 'Tutoriel'"));
        assertEquals(new Sql.RowWrite("DELETE", List.of("public.shop_order")), Sql.rowWrite("delete from \"public\".\"shop_order\""));
        assertEquals(new Sql.RowWrite("INSERT", List.of("t")),
                Sql.rowWrite("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a"));
        assertEquals(new Sql.RowWrite("MERGE", List.of("a")),
                Sql.rowWrite("MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN UPDATE SET x = b.x WHEN NOT MATCHED THEN INSERT VALUES (b.id)"));
        assertEquals(new Sql.RowWrite("WITH", List.of("t", "archive")),
                Sql.rowWrite("WITH d AS (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM d"));
        assertEquals(new Sql.RowWrite("DELETE", List.of("c")), Sql.rowWrite("DELETE c FROM c INNER JOIN l ON l.id = c.l_id"));
        assertEquals(new Sql.RowWrite("COPY", List.of("t")), Sql.rowWrite("COPY t (a, b) FROM STDIN WITH CSV"));
        assertEquals(new Sql.RowWrite("UPDATE", List.of("%s")), Sql.rowWrite("UPDATE %s SET a = %s WHERE b = 'update x'"));
        assertEquals(new Sql.RowWrite("UPDATE", List.of("order_order")),
                Sql.rowWrite("UPDATE order_order SET updated_at = (SELECT max(date) FROM e WHERE e.o = order_order.id FOR UPDATE)"));
    }

    @Test
    void notRowWritesOnly() {
        for (String st : List.of("TRUNCATE t", "LOCK TABLE t IN EXCLUSIVE MODE", "DO $$ BEGIN UPDATE t SET a = 1; END $$",
                "CALL refresh()", "COPY t FROM PROGRAM 'curl x'", "COPY t TO 'out.csv'", "UPDATE pg_index SET indisvalid = false",
                "UPDATE pg_catalog.pg_class SET relname = 'x'", "DELETE FROM information_schema.x",
                "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT create_hypertable('t', 'id')", "ALTER TABLE t ADD COLUMN a int",
                "CREATE TABLE t AS SELECT 1", "SELECT * INTO t2 FROM t", "VALUES (1)")) {
            assertEquals(null, Sql.rowWrite(st), st);
            assertFalse(Sql.changesOnlyRows(st), st);
        }
        assertEquals(null, Sql.onlyRowWrites(List.of("UPDATE t SET a = 1", "ALTER TABLE t ALTER a SET NOT NULL")));
        assertEquals(null, Sql.onlyRowWrites(List.of("SELECT setval('s', 1)")));
        assertEquals(List.of(new Sql.RowWrite("UPDATE", List.of("t"))),
                Sql.onlyRowWrites(List.of("SET LOCAL lock_timeout = '1s'", "UPDATE t SET a = 1")));
    }
}
