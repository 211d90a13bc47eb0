package dev.migsafe.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.pg.LockLab.Obj;
import dev.migsafe.pg.LockLab.Seen;
import dev.migsafe.rules.locks.PgFacts;
import dev.migsafe.rules.locks.PgFacts.Action;
import dev.migsafe.rules.locks.PgFacts.Fact;
import dev.migsafe.rules.locks.PgFacts.Target;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fact of {@link PgFacts} against a real PostgreSQL: each action's sample statement (and a
 * few variants) runs on tables of 1,000 rows, and what the server did must equal what the
 * catalogue claims, or the test fails naming the action. Facts gated on a newer version than the
 * server's are skipped (the server CI installs is newer than every gate).
 */
@ExtendWith(PgExtension.class)
class LockFactsTest {

    /**
     * One statement to run for an action: after {@code setup} (committed), in a transaction, or,
     * when {@code holderMode} is set, outside one while another session holds that lock on t.
     */
    record Sample(Action action, String setup, String sql, String holderMode) {
        @Override
        public String toString() {
            return action + ": " + sql;
        }
    }

    static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Action a : Action.values()) {
            out.add(new Sample(a, SETUP.getOrDefault(a, ""), a.fact().sql(), HOLDER.get(a)));
        }
        // Variants: other statements the same fact is claimed for.
        out.add(new Sample(Action.ADD_COLUMN_DEFAULT, "", "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()", null));
        out.add(new Sample(Action.ADD_COLUMN_VOLATILE_DEFAULT, "",
                "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()", null));
        out.add(new Sample(Action.ALTER_COLUMN_TYPE_BINARY, "", "ALTER TABLE t ALTER COLUMN v TYPE text", null));
        out.add(new Sample(Action.ALTER_COLUMN_TYPE_BINARY, "ALTER TABLE t ADD COLUMN d numeric(10, 2)",
                "ALTER TABLE t ALTER COLUMN d TYPE numeric(12, 2)", null));
        out.add(new Sample(Action.ALTER_COLUMN_TYPE_REWRITE, "", "ALTER TABLE t ALTER COLUMN v TYPE varchar(5)", null));
        out.add(new Sample(Action.DROP_CONSTRAINT, "ALTER TABLE t ADD CONSTRAINT t_v_uniq UNIQUE (v)",
                "ALTER TABLE t DROP CONSTRAINT t_v_uniq", null));
        out.add(new Sample(Action.REINDEX, "", "REINDEX INDEX t_n_idx", null));
        out.add(new Sample(Action.CREATE_UNIQUE_INDEX, "", "CREATE UNIQUE INDEX t_v_uniq ON t (v) WHERE n > 0", null));
        out.add(new Sample(Action.LOCK_TABLE, "", "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", null));
        return out;
    }

    private static final String CHECK_NOT_VALID = "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0) NOT VALID";
    private static final String FOREIGN_KEY = "ALTER TABLE t ADD CONSTRAINT t_ref_fk FOREIGN KEY (ref) REFERENCES r (id)";

    /** What must exist before an action's sample runs. */
    private static final Map<Action, String> SETUP = Map.ofEntries(
            Map.entry(Action.ALTER_COLUMN_TYPE_INDEX_REBUILD, "CREATE EXTENSION IF NOT EXISTS citext; "
                    + "CREATE INDEX t_v_idx ON t (v)"),
            Map.entry(Action.SET_NOT_NULL_WITH_CHECK, "ALTER TABLE t ADD CONSTRAINT t_n_not_null CHECK (n IS NOT NULL)"),
            Map.entry(Action.VALIDATE_CONSTRAINT, CHECK_NOT_VALID),
            Map.entry(Action.VALIDATE_FOREIGN_KEY, FOREIGN_KEY + " NOT VALID"),
            Map.entry(Action.ADD_UNIQUE_USING_INDEX, "CREATE UNIQUE INDEX t_v_uniq ON t (v)"),
            Map.entry(Action.ADD_PRIMARY_KEY, "ALTER TABLE t DROP CONSTRAINT t_pkey"),
            Map.entry(Action.DROP_CONSTRAINT, "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0)"),
            Map.entry(Action.DROP_FOREIGN_KEY, FOREIGN_KEY),
            Map.entry(Action.DROP_TABLE, FOREIGN_KEY),
            Map.entry(Action.DROP_TRIGGER, "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()"),
            Map.entry(Action.ALTER_TABLE_SET_LOGGED, "ALTER TABLE t SET UNLOGGED"));

    /**
     * Statements that cannot run in a transaction, and the lock on t that makes each wait midway:
     * a concurrent build waits for running writers, a concurrent drop for running readers, VACUUM
     * FULL for its ACCESS EXCLUSIVE behind any reader.
     */
    private static final Map<Action, String> HOLDER = Map.of(
            Action.CREATE_INDEX_CONCURRENTLY, PgFacts.ROW_EXCLUSIVE,
            Action.DROP_INDEX_CONCURRENTLY, PgFacts.ACCESS_SHARE,
            Action.REINDEX_CONCURRENTLY, PgFacts.ROW_EXCLUSIVE,
            Action.VACUUM_FULL, PgFacts.ACCESS_SHARE);

    @Test
    void everyActionHasItsOwnSampleFirst() {
        Set<Action> sampled = EnumSet.noneOf(Action.class);
        for (Sample s : samples()) {
            if (sampled.add(s.action())) {
                assertEquals(s.action().fact().sql(), s.sql(), s.action() + ": the first sample is the fact's own");
            }
        }
        assertEquals(EnumSet.allOf(Action.class), sampled);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void postgresqlDoesWhatTheFactSays(Sample sample, PgServer server) throws Exception {
        Fact fact = sample.action().fact();
        int major = server.majorVersion();
        Assumptions.assumeTrue(fact.holdsOn(major), sample.action() + " holds from PostgreSQL " + fact.since()
                + "; this server is " + major);
        for (String extension : List.of("hstore", "citext")) {
            if ((sample.setup() + sample.sql()).contains(extension)) {
                Assumptions.assumeTrue(available(server, extension), "the " + extension
                        + " extension is not installed on this server");
            }
        }
        Observed seen = observe(server, sample, fact.on());
        assertEquals(Observed.claimed(fact), seen.shape(), sample.action() + " (" + sample.sql()
                + "): PostgreSQL " + major + " did not do what PgFacts." + sample.action() + " says");
    }

    /** Runs the sample and reads what happened to its subject (t, or r for a new table's foreign key) and to r. */
    static Observed observe(PgServer server, Sample sample, Target on) throws Exception {
        String table = on == Target.REFERENCED_TABLE ? "r" : "t";
        Obj subject = switch (on) {
            case INDEX -> Obj.relation("t_n_idx");
            case TYPE -> Obj.type("mood");
            default -> Obj.relation(table);
        };
        List<Obj> objects = Stream.of(subject, Obj.relation("t"), Obj.relation("r")).distinct().toList();
        try (LockLab lab = new LockLab(server, sample.setup())) {
            boolean[] blocks = new boolean[4];
            LockLab.Check probes = () -> {
                blocks[0] = lab.blocked(read(table));
                blocks[1] = lab.blocked(insert(table)) || lab.blocked(update(table));
                if (on != Target.REFERENCED_TABLE) {
                    blocks[2] = lab.blocked(read("r"));
                    blocks[3] = lab.blocked(insert("r")) || lab.blocked(update("r"));
                }
            };
            Map<String, Seen> seen = sample.holderMode() == null
                    ? lab.inTransaction(sample.sql(), objects, probes)
                    : lab.concurrently(sample.sql(), objects, "t", sample.holderMode(), probes);
            String lock = seen.get(subject.name()).lock();
            if (on == Target.NOTHING) {
                lock = PgFacts.stronger(seen.get("t").lock(), seen.get("r").lock());
            }
            String referenced = on == Target.REFERENCED_TABLE ? PgFacts.NONE : seen.get("r").lock();
            return new Observed(lock, seen.get(table).rewritten(), seen.get(table).scanned(), blocks[0], blocks[1],
                    referenced, blocks[2], blocks[3]);
        }
    }

    private static String read(String table) {
        return "SELECT * FROM " + table + " WHERE id = 1";
    }

    private static String insert(String table) {
        return "INSERT INTO " + table + " (id) VALUES (" + (LockLab.ROWS + 1) + ")";
    }

    /** An update of an existing row: waits for row locks too (UPDATE_ALL, DELETE_ALL). */
    private static String update(String table) {
        return table.equals("r") ? "UPDATE r SET label = 'probe' WHERE id = 2" : "UPDATE t SET n = n WHERE id = 2";
    }

    private static boolean available(PgServer server, String extension) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = '" + extension + "'")) {
            return rs.next();
        }
    }

    @Test
    void lockModeNamesAreReadAsPostgresqlDocumentsThem() {
        assertEquals("SHARE UPDATE EXCLUSIVE", LockLab.modeName("ShareUpdateExclusiveLock"));
        assertEquals("EXCLUSIVE", LockLab.modeName("ExclusiveLock"));
        assertEquals(PgFacts.MODES, Arrays.stream(new String[] {"AccessShareLock", "RowShareLock", "RowExclusiveLock",
                "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"})
                .map(LockLab::modeName).collect(Collectors.toList()));
    }

    /** The conflict table PgFacts derives blocking from, checked against the server itself, mode by mode. */
    @Test
    void theConflictTableIsPostgresqls(PgServer server) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (LockLab lab = new LockLab(server, ""); Connection holder = lab.connect()) {
            for (String held : PgFacts.MODES) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("LOCK TABLE r IN " + held + " MODE");
                }
                for (String wanted : PgFacts.MODES) {
                    boolean waits = lab.blocked("LOCK TABLE r IN " + wanted + " MODE");
                    if (waits != PgFacts.conflicts(held, wanted)) {
                        wrong.add(held + " vs " + wanted + ": PostgreSQL " + (waits ? "waits" : "does not wait"));
                    }
                }
                holder.rollback();
                holder.setAutoCommit(true);
            }
        }
        assertTrue(wrong.isEmpty(), "PgFacts.conflicts differs from PostgreSQL: " + wrong);
    }
}
