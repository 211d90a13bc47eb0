package dev.migsafe.pg;

import dev.migsafe.rules.locks.PgFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scratch schema on the test server, with tables that have rows, where one statement is run
 * and watched: the locks its session holds or asks for (pg_locks, by object id, so a dropped or
 * renamed table is still found), whether a table's storage was replaced with its rows copied
 * (pg_class.relfilenode before and after, and rows left), whether every row was read (the
 * statistics' tuples-read counters, which count validations, index builds and rewrites), and,
 * through a probe connection with a short lock_timeout, whether other sessions' queries wait.
 *
 * <p>A statement that can run in a transaction runs in one, and everything is read before it
 * rolls back: the counters come from the session's own pending statistics, which nothing else
 * touches. A statement that cannot (CONCURRENTLY, VACUUM) runs on its own connection while a
 * third one holds a lock that makes it wait midway; its locks are read from pg_locks while it
 * waits, and its reads from the shared statistics once its session has ended (a session flushes
 * its statistics when it exits, before it leaves pg_stat_activity).
 */
final class LockLab implements AutoCloseable {

    /** Rows in each table: a scan reads at least this many. */
    static final int ROWS = 1000;

    /** The tables every lab starts with; see PgFacts for what the sample statements expect. */
    static final String BASE = """
            CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
            CREATE TABLE r (id bigint PRIMARY KEY, label text);
            INSERT INTO r SELECT g, 'r' || g FROM generate_series(1, %1$d) g;
            CREATE TABLE t (id bigint PRIMARY KEY, n integer, v varchar(10), s text, ref bigint, m mood);
            INSERT INTO t SELECT g, g, 'v' || g, 's', g, 'a' FROM generate_series(1, %1$d) g;
            CREATE INDEX t_n_idx ON t (n);
            ANALYZE r;
            ANALYZE t;
            """.formatted(ROWS);

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String LOCK_TIMEOUT = "100ms";

    /** An object whose lock is observed: a relation (table or index) or a type. */
    record Obj(String name, boolean type) {
        static Obj relation(String name) {
            return new Obj(name, false);
        }

        static Obj type(String name) {
            return new Obj(name, true);
        }
    }

    /** What happened to one object: its strongest lock, and for a table whether it was rewritten or read whole. */
    record Seen(String lock, boolean rewritten, boolean scanned) {}

    private final PgServer server;
    private final String schema;
    private final Connection probe;

    /** A fresh schema with {@link #BASE} and then {@code setup} (may be empty) run and committed. */
    LockLab(PgServer server, String setup) throws SQLException {
        this(server, BASE, setup);
    }

    LockLab(PgServer server, String base, String setup) throws SQLException {
        this.server = server;
        this.schema = "lockfacts_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path = " + schema);
            s.execute(base);
            if (!setup.isBlank()) {
                s.execute(setup);
            }
            int pid = pid(c);
            c.close();
            this.probe = connect();
            waitGone(pid); // its statistics are flushed: they no longer move the counters
        }
    }

    /** A connection whose unqualified names resolve in this lab's schema. */
    Connection connect() throws SQLException {
        Connection c = server.connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = " + schema);
        }
        return c;
    }

    /**
     * Whether the probe connection's statement waits for a lock: it runs in its own transaction,
     * rolled back, with a short lock_timeout. Any error but a lock timeout fails the test (a probe
     * that fails for another reason would read as "not blocked").
     */
    boolean blocked(String sql) throws SQLException {
        probe.setAutoCommit(false);
        try (Statement s = probe.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            s.execute("SET LOCAL enable_seqscan = off"); // index lookups: probes read a row or two, not the table
            s.execute(sql);
            return false;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return true;
            }
            throw new SQLException("probe `" + sql + "` failed: " + e.getMessage(), e);
        } finally {
            probe.rollback();
            probe.setAutoCommit(true);
        }
    }

    /**
     * Runs {@code sql} in a transaction, calls {@code whileHeld} while its locks are held, rolls
     * back, and returns what happened to each object.
     */
    Map<String, Seen> inTransaction(String sql, List<Obj> objects, Check whileHeld) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            Map<String, Long> oids = oids(c, objects);
            Map<String, Long> files = new LinkedHashMap<>();
            Map<String, Long> reads = new LinkedHashMap<>();
            for (Obj o : objects) {
                if (!o.type()) {
                    files.put(o.name(), relfilenode(c, oids.get(o.name())));
                    reads.put(o.name(), pendingReads(c, oids.get(o.name())));
                }
            }
            s.execute(sql);
            Map<String, Long> readsAfter = new LinkedHashMap<>();
            for (Obj o : objects) {
                if (!o.type()) {
                    readsAfter.put(o.name(), pendingReads(c, oids.get(o.name()))); // before anything else reads
                }
            }
            Map<String, Seen> out = new LinkedHashMap<>();
            int pid = pid(c);
            for (Obj o : objects) {
                long oid = oids.get(o.name());
                String lock = strongest(c, pid, oid, o.type(), true);
                boolean rewritten = !o.type() && rewritten(c, oid, files.get(o.name()));
                boolean scanned = !o.type() && readsAfter.get(o.name()) - reads.get(o.name()) >= ROWS;
                out.put(o.name(), new Seen(lock, rewritten, scanned));
            }
            whileHeld.run();
            c.rollback();
            return out;
        }
    }

    /** A check run while a statement holds its locks. */
    interface Check {
        void run() throws SQLException;
    }

    /**
     * Runs {@code sql} outside a transaction on its own connection while another session holds
     * {@code holderMode} on {@code holderTable}, which makes the statement wait midway; reads its
     * locks and calls {@code whileWaiting} then, lets it finish, and returns what happened.
     */
    Map<String, Seen> concurrently(String sql, List<Obj> objects, String holderTable, String holderMode,
                                   Check whileWaiting) throws SQLException, InterruptedException {
        try (Connection observer = connect(); Connection holder = connect()) {
            Map<String, Long> oids = oids(observer, objects);
            Map<String, Long> files = new LinkedHashMap<>();
            Map<String, Long> reads = new LinkedHashMap<>();
            for (Obj o : objects) {
                if (!o.type()) {
                    files.put(o.name(), relfilenode(observer, oids.get(o.name())));
                    reads.put(o.name(), sharedReads(observer, oids.get(o.name())));
                }
            }
            holder.setAutoCommit(false);
            try (Statement h = holder.createStatement()) {
                h.execute("LOCK TABLE " + holderTable + " IN " + holderMode + " MODE");
            }
            Connection worker = connect();
            int pid = pid(worker);
            AtomicReference<SQLException> failed = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try (Statement w = worker.createStatement()) {
                    w.execute(sql);
                } catch (SQLException e) {
                    failed.set(e);
                }
            }, "lock-lab-worker");
            runner.start();
            Map<String, String> locks = new LinkedHashMap<>();
            try {
                waitUntilWaiting(observer, pid, runner, failed);
                for (Obj o : objects) {
                    locks.put(o.name(), strongest(observer, pid, oids.get(o.name()), o.type(), false));
                }
                whileWaiting.run();
            } finally {
                holder.rollback();
                runner.join(60_000);
            }
            if (failed.get() != null) {
                throw new SQLException("`" + sql + "` failed: " + failed.get().getMessage(), failed.get());
            }
            if (runner.isAlive()) {
                throw new SQLException("`" + sql + "` did not finish within 60 s");
            }
            worker.close();
            waitGone(pid);
            Map<String, Seen> out = new LinkedHashMap<>();
            for (Obj o : objects) {
                long oid = oids.get(o.name());
                // Reads first: rewritten() counts the rows, which this session may flush at its next idle moment.
                boolean scanned = !o.type() && sharedReads(observer, oid) - reads.get(o.name()) >= ROWS;
                boolean rewritten = !o.type() && rewritten(observer, oid, files.get(o.name()));
                out.put(o.name(), new Seen(locks.get(o.name()), rewritten, scanned));
            }
            return out;
        }
    }

    private void waitUntilWaiting(Connection observer, int pid, Thread runner, AtomicReference<SQLException> failed)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (PreparedStatement ps = observer.prepareStatement(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            while (System.nanoTime() < deadline) {
                if (failed.get() != null) {
                    throw new SQLException("the statement failed: " + failed.get().getMessage(), failed.get());
                }
                if (!runner.isAlive()) {
                    throw new SQLException("the statement finished without waiting for the lock held against it");
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "Lock".equals(rs.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new SQLException("the statement never waited for the lock held against it");
    }

    private static Map<String, Long> oids(Connection c, List<Obj> objects) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Obj o : objects) {
            try (PreparedStatement ps = c.prepareStatement(o.type() ? "SELECT ?::regtype::oid" : "SELECT ?::regclass::oid")) {
                ps.setString(1, o.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.put(o.name(), rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The strongest lock mode the session holds (or, when not only granted ones count, asks for) on the object. */
    private static String strongest(Connection c, int pid, long oid, boolean type, boolean grantedOnly)
            throws SQLException {
        String sql = type
                ? "SELECT mode FROM pg_locks WHERE pid = ? AND locktype = 'object' AND classid = 'pg_type'::regclass "
                        + "AND objid = ?"
                : "SELECT mode FROM pg_locks WHERE pid = ? AND locktype = 'relation' AND relation = ?";
        if (grantedOnly) {
            sql += " AND granted";
        }
        String out = PgFacts.NONE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, pid);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out = PgFacts.stronger(out, modeName(rs.getString(1)));
                }
            }
        }
        return out;
    }

    /** "ShareUpdateExclusiveLock" -> "SHARE UPDATE EXCLUSIVE". */
    static String modeName(String pgLocksMode) {
        String words = pgLocksMode.replaceAll("Lock$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return words.toUpperCase(Locale.ROOT);
    }

    private static Long relfilenode(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT relfilenode FROM pg_class WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Storage replaced and the rows still there: copied. (TRUNCATE replaces the storage with an empty one.) */
    private static boolean rewritten(Connection c, long oid, Long before) throws SQLException {
        Long after = relfilenode(c, oid);
        if (before == null || after == null || before.equals(after)) {
            return false;
        }
        String name;
        try (PreparedStatement ps = c.prepareStatement("SELECT oid::regclass::text FROM pg_class WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                name = rs.getString(1);
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + name)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Rows read from the table by this session so far and not yet flushed: sequential plus index fetches. */
    private static long pendingReads(Connection c, long oid) throws SQLException {
        return counter(c, "SELECT pg_stat_get_xact_tuples_returned(?) + pg_stat_get_xact_tuples_fetched(?)", oid);
    }

    /** Rows read from the table by every session, as flushed to the shared statistics. */
    private static long sharedReads(Connection c, long oid) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
        }
        return counter(c, "SELECT pg_stat_get_tuples_returned(?) + pg_stat_get_tuples_fetched(?)", oid);
    }

    private static long counter(Connection c, String sql, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits until the backend has left pg_stat_activity: by then it has flushed its statistics. */
    private void waitGone(int pid) throws SQLException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Connection c = server.connect();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted");
                }
            }
        }
        throw new SQLException("backend " + pid + " did not exit within 10 s");
    }

    @Override
    public void close() throws SQLException {
        try (Statement s = probe.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } finally {
            probe.close();
        }
    }
}
