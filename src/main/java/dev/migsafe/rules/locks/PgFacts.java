package dev.migsafe.rules.locks;

import java.util.List;
import java.util.Locale;

/**
 * What PostgreSQL does for each action migsafe judges: the lock it takes, whether it rewrites or
 * reads the whole table, whether other sessions' reads and writes wait while the lock is held,
 * and from which major version that holds. Every fact here is proved against a real server by
 * the lock-fact suite (LockFactsTest runs each action's sample statement on a table with rows),
 * which also writes docs/lock-facts.md from this catalogue; the PostgreSQL lock descriptions
 * migsafe prints take their modes from here, so a claim cannot drift from the fact.
 *
 * <p>Sample statements use a table {@code t} (columns id bigint primary key, n integer, v
 * varchar(10), s text, ref bigint, m an enum type {@code mood}; index {@code t_n_idx}) and a
 * referenced table {@code r} (id bigint primary key).
 */
public final class PgFacts {

    private PgFacts() {}

    public static final String ACCESS_SHARE = "ACCESS SHARE";
    public static final String ROW_SHARE = "ROW SHARE";
    public static final String ROW_EXCLUSIVE = "ROW EXCLUSIVE";
    public static final String SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE";
    public static final String SHARE = "SHARE";
    public static final String SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE";
    public static final String EXCLUSIVE = "EXCLUSIVE";
    public static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";
    public static final String NONE = "none";

    /** PostgreSQL's table lock modes, weakest first (the order of its lock-mode numbers). */
    public static final List<String> MODES = List.of(ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE,
            SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE);

    /** PostgreSQL's conflict table (explicit-locking docs): row i lists the modes mode i conflicts with, as bits. */
    private static final int[] CONFLICTS = {
        1 << 7,                                                   // ACCESS SHARE: ACCESS EXCLUSIVE
        1 << 6 | 1 << 7,                                          // ROW SHARE: EXCLUSIVE, ACCESS EXCLUSIVE
        1 << 4 | 1 << 5 | 1 << 6 | 1 << 7,                        // ROW EXCLUSIVE: SHARE and up
        1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7,               // SHARE UPDATE EXCLUSIVE: itself and up
        1 << 2 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 7,               // SHARE: ROW EXCLUSIVE, SUE, SRE and up
        1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7,      // SHARE ROW EXCLUSIVE
        1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7, // EXCLUSIVE
        0xFF,                                                     // ACCESS EXCLUSIVE: everything
    };

    /** Whether a lock held in mode {@code held} makes a request for {@code wanted} wait. */
    public static boolean conflicts(String held, String wanted) {
        int h = MODES.indexOf(held);
        int w = MODES.indexOf(wanted);
        return h >= 0 && w >= 0 && (CONFLICTS[h] & (1 << w)) != 0;
    }

    /** Whether a table lock in this mode makes a plain SELECT wait (it asks for ACCESS SHARE). */
    public static boolean blocksReads(String mode) {
        return conflicts(mode, ACCESS_SHARE);
    }

    /** Whether a table lock in this mode makes INSERT, UPDATE and DELETE wait (they ask for ROW EXCLUSIVE). */
    public static boolean blocksWrites(String mode) {
        return conflicts(mode, ROW_EXCLUSIVE);
    }

    /** What a table lock in this mode does to other sessions' queries, in a few words. */
    public static String effect(String mode) {
        return effect(blocksReads(mode), blocksWrites(mode));
    }

    static String effect(boolean reads, boolean writes) {
        if (reads && writes) {
            return "blocks reads and writes";
        }
        if (writes) {
            return "blocks writes";
        }
        return reads ? "blocks reads" : "reads and writes continue";
    }

    /** The stronger of two modes ({@link #NONE} or null is weaker than any). */
    public static String stronger(String a, String b) {
        return MODES.indexOf(b) > MODES.indexOf(a) ? b : a;
    }

    /** What {@link Fact#lock()} is taken on. */
    public enum Target {
        /** the table the statement names */
        TABLE,
        /** the existing table a new table's foreign key references */
        REFERENCED_TABLE,
        /** the index the statement names (its table is not locked) */
        INDEX,
        /** the type the statement names (tables using it are not locked) */
        TYPE,
        /** nothing a running query uses */
        NOTHING
    }

    /**
     * One proved fact. {@code blocksReads}/{@code blocksWrites} say whether another session's SELECT /
     * INSERT or UPDATE on the table waits while the lock is held; {@code scans}: every existing row is
     * read (validation, an index build, a rewrite); {@code rewrites}: every row is written into new
     * storage; {@code since}: the first major version the fact holds in (0: every version Django
     * supports); {@code referencedLock}: the lock also taken on the table a foreign key references
     * (null when none).
     */
    public record Fact(String lock, boolean rewrites, boolean scans, boolean blocksReads, boolean blocksWrites,
                       int since, Target on, String referencedLock, String sql, String note) {

        /** Whether the fact holds on that major version (false before {@link #since()}). */
        public boolean holdsOn(int major) {
            return major >= since;
        }

        /** "ACCESS EXCLUSIVE on shop_order", or "none". */
        public String lockOn(String table) {
            return lock.equals(NONE) ? NONE : lock + " on " + table;
        }

        /** What the lock does to other sessions' queries on the table, in a few words. */
        public String effect() {
            return PgFacts.effect(blocksReads, blocksWrites);
        }

        /** The whole fact in a DBA's words, for one table (and the referenced one, if any). */
        public String describe(String table, String referenced) {
            StringBuilder out = new StringBuilder();
            switch (on) {
                case NOTHING -> out.append("no lock on tables");
                case TYPE -> out.append(lock).append(" on the type (tables using it: reads and writes continue)");
                case INDEX -> out.append(lock).append(" on the index only (").append(table).append(": ")
                        .append(effect()).append(")");
                default -> out.append(lockOn(table)).append(" (").append(effect()).append(")");
            }
            if (rewrites) {
                out.append("; rewrites every row");
            } else if (scans) {
                out.append("; reads every row");
            }
            if (referencedLock != null) {
                out.append("; ").append(referencedLock).append(" on ").append(referenced == null ? "the referenced table"
                        : referenced).append(" (").append(PgFacts.effect(referencedLock)).append(")");
            }
            if (since > 0) {
                out.append(" (PostgreSQL >= ").append(since).append(")");
            }
            return out.toString();
        }
    }

    /** The actions, named as the SQL analysis names them; each carries its fact and sample statement. */
    public enum Action {
        ADD_COLUMN("ALTER TABLE t ADD COLUMN c integer NULL",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        ADD_COLUMN_DEFAULT("ALTER TABLE t ADD COLUMN c integer DEFAULT 0 NULL",
                f(ACCESS_EXCLUSIVE).since(11).note("the default is kept in the catalog for existing rows; before 11 "
                        + "every row is rewritten")),
        ADD_COLUMN_VOLATILE_DEFAULT("ALTER TABLE t ADD COLUMN c double precision DEFAULT random()",
                f(ACCESS_EXCLUSIVE).rewrites().note("a volatile default (random(), clock_timestamp(), "
                        + "gen_random_uuid()) is computed for each existing row")),
        ADD_COLUMN_NOT_NULL_DEFAULT("ALTER TABLE t ADD COLUMN c integer DEFAULT 0 NOT NULL",
                f(ACCESS_EXCLUSIVE).since(11).note("no scan for NULLs: the default fills every existing row; "
                        + "Django's AddField then runs DROP_DEFAULT")),
        ADD_COLUMN_FOREIGN_KEY("ALTER TABLE t ADD COLUMN c bigint NULL CONSTRAINT t_c_fk REFERENCES r (id) "
                + "DEFERRABLE INITIALLY DEFERRED",
                f(ACCESS_EXCLUSIVE).referenced(SHARE_ROW_EXCLUSIVE).note("Django's AddField of a nullable ForeignKey: "
                        + "every existing row holds NULL, so nothing is validated")),
        ADD_COLUMN_FOREIGN_KEY_DEFAULT("ALTER TABLE t ADD COLUMN c bigint DEFAULT 1 NOT NULL CONSTRAINT t_c_fk "
                + "REFERENCES r (id) DEFERRABLE INITIALLY DEFERRED",
                f(ACCESS_EXCLUSIVE).scans().referenced(SHARE_ROW_EXCLUSIVE).note("the default in every row is "
                        + "checked against the referenced table")),
        ADD_COLUMN_UNIQUE("ALTER TABLE t ADD COLUMN c integer NULL UNIQUE",
                f(ACCESS_EXCLUSIVE).scans().note("the unique index is built under the lock")),
        ADD_COLUMN_GENERATED_STORED("ALTER TABLE t ADD COLUMN c integer GENERATED ALWAYS AS (n * 2) STORED",
                f(ACCESS_EXCLUSIVE).rewrites().since(12).note("computed and stored for every row (generated "
                        + "columns exist from 12)")),
        DROP_COLUMN("ALTER TABLE t DROP COLUMN s",
                f(ACCESS_EXCLUSIVE).note("catalog only; a foreign key column also drops its constraint: see "
                        + "DROP_FOREIGN_KEY")),
        RENAME_COLUMN("ALTER TABLE t RENAME COLUMN s TO s2",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        ALTER_COLUMN_TYPE_REWRITE("ALTER TABLE t ALTER COLUMN n TYPE bigint USING n::bigint",
                f(ACCESS_EXCLUSIVE).rewrites().note("types whose bytes differ (integer -> bigint, a shorter "
                        + "varchar); every index of the table is rebuilt too")),
        ALTER_COLUMN_TYPE_BINARY("ALTER TABLE t ALTER COLUMN v TYPE varchar(20)",
                f(ACCESS_EXCLUSIVE).note("binary-coercible: varchar(n) -> varchar(m > n), varchar -> text, "
                        + "numeric(p, s) -> numeric(q > p, s); catalog only")),
        ALTER_COLUMN_TYPE_INDEX_REBUILD("ALTER TABLE t ALTER COLUMN v TYPE citext",
                f(ACCESS_EXCLUSIVE).scans().note("binary-coercible, but an index on the column is rebuilt for the "
                        + "new type's operator class (varchar -> citext with an index on v): the rows stay, the index "
                        + "is built again under the lock")),
        SET_NOT_NULL("ALTER TABLE t ALTER COLUMN n SET NOT NULL",
                f(ACCESS_EXCLUSIVE).scans().note("every row is read to prove there is no NULL")),
        SET_NOT_NULL_WITH_CHECK("ALTER TABLE t ALTER COLUMN n SET NOT NULL",
                f(ACCESS_EXCLUSIVE).since(12).note("with a valid CHECK (n IS NOT NULL) already on the table the "
                        + "scan is skipped; before 12 it scans")),
        DROP_NOT_NULL("ALTER TABLE t ALTER COLUMN n DROP NOT NULL",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        SET_DEFAULT("ALTER TABLE t ALTER COLUMN n SET DEFAULT 3",
                f(ACCESS_EXCLUSIVE).note("catalog only: only new rows get it")),
        DROP_DEFAULT("ALTER TABLE t ALTER COLUMN n DROP DEFAULT",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        ADD_CHECK("ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0)",
                f(ACCESS_EXCLUSIVE).scans().note("every row is checked under the lock")),
        ADD_CHECK_NOT_VALID("ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0) NOT VALID",
                f(ACCESS_EXCLUSIVE).note("new writes are checked at once; existing rows wait for "
                        + "VALIDATE_CONSTRAINT")),
        ADD_FOREIGN_KEY("ALTER TABLE t ADD CONSTRAINT t_ref_fk FOREIGN KEY (ref) REFERENCES r (id)",
                f(SHARE_ROW_EXCLUSIVE).scans().referenced(SHARE_ROW_EXCLUSIVE).note("every row is checked against "
                        + "the referenced table, whose writes wait too")),
        ADD_FOREIGN_KEY_NOT_VALID("ALTER TABLE t ADD CONSTRAINT t_ref_fk FOREIGN KEY (ref) REFERENCES r (id) NOT VALID",
                f(SHARE_ROW_EXCLUSIVE).referenced(SHARE_ROW_EXCLUSIVE).note("no scan; existing rows wait for "
                        + "VALIDATE_FOREIGN_KEY")),
        VALIDATE_CONSTRAINT("ALTER TABLE t VALIDATE CONSTRAINT t_n_check",
                f(SHARE_UPDATE_EXCLUSIVE).scans().note("reads every row while reads and writes go on")),
        VALIDATE_FOREIGN_KEY("ALTER TABLE t VALIDATE CONSTRAINT t_ref_fk",
                f(SHARE_UPDATE_EXCLUSIVE).scans().referenced(ROW_SHARE).note("reads every row while reads and "
                        + "writes on both tables go on")),
        ADD_UNIQUE("ALTER TABLE t ADD CONSTRAINT t_v_uniq UNIQUE (v)",
                f(ACCESS_EXCLUSIVE).scans().note("the unique index is built under the lock")),
        ADD_UNIQUE_USING_INDEX("ALTER TABLE t ADD CONSTRAINT t_v_uniq UNIQUE USING INDEX t_v_uniq",
                f(ACCESS_EXCLUSIVE).note("attaches an index built before (CREATE UNIQUE INDEX CONCURRENTLY): "
                        + "catalog only")),
        ADD_PRIMARY_KEY("ALTER TABLE t ADD PRIMARY KEY (id)",
                f(ACCESS_EXCLUSIVE).scans().note("the unique index is built under the lock (and a nullable "
                        + "column is scanned for NULLs)")),
        ADD_EXCLUDE("ALTER TABLE t ADD CONSTRAINT t_n_excl EXCLUDE USING btree (n WITH =)",
                f(ACCESS_EXCLUSIVE).scans().note("the index is built and every row checked under the lock")),
        DROP_CONSTRAINT("ALTER TABLE t DROP CONSTRAINT t_n_check",
                f(ACCESS_EXCLUSIVE).note("catalog only (a CHECK or UNIQUE constraint)")),
        DROP_FOREIGN_KEY("ALTER TABLE t DROP CONSTRAINT t_ref_fk",
                f(ACCESS_EXCLUSIVE).referenced(ACCESS_EXCLUSIVE).note("the referenced table is locked too, "
                        + "reads included, to drop the constraint's triggers; Django does this before it alters or "
                        + "removes a ForeignKey")),
        CREATE_INDEX("CREATE INDEX t_v_idx ON t (v)",
                f(SHARE).scans().note("reads go on; writes wait for the whole build")),
        CREATE_UNIQUE_INDEX("CREATE UNIQUE INDEX t_v_uniq ON t (v)",
                f(SHARE).scans().note("reads go on; writes wait for the whole build")),
        CREATE_INDEX_CONCURRENTLY("CREATE INDEX CONCURRENTLY t_v_idx ON t (v)",
                f(SHARE_UPDATE_EXCLUSIVE).scans().note("not in a transaction; waits for running writers, then "
                        + "builds while reads and writes go on")),
        DROP_INDEX("DROP INDEX t_n_idx",
                f(ACCESS_EXCLUSIVE).note("the table is locked, not only the index")),
        DROP_INDEX_CONCURRENTLY("DROP INDEX CONCURRENTLY t_n_idx",
                f(SHARE_UPDATE_EXCLUSIVE).note("not in a transaction; waits for queries using the index")),
        REINDEX("REINDEX TABLE t",
                f(SHARE).scans().blocksReads(true).note("SHARE on the table, but ACCESS EXCLUSIVE on each index: "
                        + "every query that plans on the table waits, reads included")),
        REINDEX_CONCURRENTLY("REINDEX TABLE CONCURRENTLY t",
                f(SHARE_UPDATE_EXCLUSIVE).scans().since(12).note("not in a transaction; reads and writes go on")),
        CREATE_TABLE_WITH_FK("CREATE TABLE n (id bigint PRIMARY KEY, r_id bigint REFERENCES r (id))",
                f(SHARE_ROW_EXCLUSIVE).on(Target.REFERENCED_TABLE).note("the new table's foreign key locks the "
                        + "referenced table against writes (briefly: the new table is empty)")),
        DROP_TABLE("DROP TABLE t CASCADE",
                f(ACCESS_EXCLUSIVE).referenced(ACCESS_EXCLUSIVE).note("and every table its foreign keys reference "
                        + "(r here) is locked too, reads included")),
        RENAME_TABLE("ALTER TABLE t RENAME TO t_renamed",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        RENAME_INDEX("ALTER INDEX t_n_idx RENAME TO t_n_idx2",
                f(SHARE_UPDATE_EXCLUSIVE).on(Target.INDEX).note("Django's RenameIndex; the table is not locked")),
        COMMENT_ON_TABLE("COMMENT ON TABLE t IS 'orders'",
                f(SHARE_UPDATE_EXCLUSIVE).note("Django's AlterModelTableComment; catalog only")),
        COMMENT_ON_COLUMN("COMMENT ON COLUMN t.n IS 'count'",
                f(SHARE_UPDATE_EXCLUSIVE).note("Django's db_comment; catalog only")),
        CREATE_TRIGGER("CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()",
                f(SHARE_ROW_EXCLUSIVE).note("reads go on; writes wait")),
        DROP_TRIGGER("DROP TRIGGER t_touch ON t",
                f(ACCESS_EXCLUSIVE).note("catalog only")),
        ALTER_TYPE_ADD_VALUE("ALTER TYPE mood ADD VALUE 'c'",
                f(EXCLUSIVE).on(Target.TYPE).since(12).note("allowed inside a transaction from 12 (the new value "
                        + "cannot be used before the commit); tables using the type are not locked")),
        TRUNCATE("TRUNCATE t",
                f(ACCESS_EXCLUSIVE).note("new, empty storage: nothing is read or copied")),
        LOCK_TABLE("LOCK TABLE t",
                f(ACCESS_EXCLUSIVE).note("the default mode is ACCESS EXCLUSIVE")),
        VACUUM_FULL("VACUUM FULL t",
                f(ACCESS_EXCLUSIVE).rewrites().note("not in a transaction; copies the table and rebuilds its indexes")),
        CLUSTER("CLUSTER t USING t_pkey",
                f(ACCESS_EXCLUSIVE).rewrites().note("copies the table in index order and rebuilds its indexes")),
        UPDATE_ALL("UPDATE t SET n = n + 1",
                f(ROW_EXCLUSIVE).scans().blocksWrites(true).note("row locks: inserts go on, but updates and "
                        + "deletes of its rows wait until the transaction ends")),
        DELETE_ALL("DELETE FROM t",
                f(ROW_EXCLUSIVE).scans().blocksWrites(true).note("row locks: inserts go on, but updates and "
                        + "deletes of its rows wait until the transaction ends")),
        CREATE_FUNCTION("CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
                f(NONE).on(Target.NOTHING).note("no table is locked")),
        CREATE_EXTENSION("CREATE EXTENSION IF NOT EXISTS hstore",
                f(NONE).on(Target.NOTHING).note("no user table is locked")),
        ALTER_TABLE_SET_LOGGED("ALTER TABLE t SET LOGGED",
                f(ACCESS_EXCLUSIVE).rewrites().note("an unlogged table is copied into the write-ahead log"));

        private final Fact fact;

        Action(String sql, Builder b) {
            this.fact = b.build(sql);
        }

        public Fact fact() {
            return fact;
        }

        /** "ADD_COLUMN_DEFAULT" -> "add column default", for messages. */
        public String words() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public static Fact of(Action a) {
        return a.fact();
    }

    /** The fact of an action in a DBA's words, on a table. */
    public static String describe(Action a, String table) {
        return a.fact().describe(table, null);
    }

    /** "MODE on table": the lock an action takes on that table, as the lock descriptions begin. */
    static String lockOn(Action a, String table) {
        return a.fact().lockOn(table);
    }

    private static Builder f(String lock) {
        return new Builder(lock);
    }

    /** Reads and writes wait as the lock mode says unless a fact says otherwise (index locks, row locks). */
    private static final class Builder {
        private final String lock;
        private boolean rewrites;
        private boolean scans;
        private Boolean blocksReads;
        private Boolean blocksWrites;
        private int since;
        private Target on = Target.TABLE;
        private String referenced;
        private String note = "";

        Builder(String lock) {
            this.lock = lock;
        }

        Builder rewrites() {
            rewrites = true;
            scans = true; // a rewrite reads every row to copy it
            return this;
        }

        Builder scans() {
            scans = true;
            return this;
        }

        Builder blocksReads(boolean b) {
            blocksReads = b;
            return this;
        }

        Builder blocksWrites(boolean b) {
            blocksWrites = b;
            return this;
        }

        Builder since(int major) {
            since = major;
            return this;
        }

        Builder on(Target t) {
            on = t;
            return this;
        }

        Builder referenced(String mode) {
            referenced = mode;
            return this;
        }

        Builder note(String n) {
            note = n;
            return this;
        }

        Fact build(String sql) {
            // Only a table lock blocks the table's queries by its mode; an index's or a type's lock does not.
            boolean tableLock = on == Target.TABLE || on == Target.REFERENCED_TABLE;
            boolean reads = blocksReads != null ? blocksReads : tableLock && PgFacts.blocksReads(lock);
            boolean writes = blocksWrites != null ? blocksWrites : tableLock && PgFacts.blocksWrites(lock);
            return new Fact(lock, rewrites, scans, reads, writes, since, on, referenced, sql, note);
        }
    }
}
