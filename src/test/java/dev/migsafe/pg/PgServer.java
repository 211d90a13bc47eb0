package dev.migsafe.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the tests: either one the developer points at (system property
 * {@code migsafe.pg.url} or environment variable {@code MIGSAFE_PG_URL}, a JDBC URL with user and
 * password in it), or a throwaway cluster: initdb in a fresh temporary directory, started on a
 * free loopback port with its socket in that directory, stopped and deleted by {@link #close()}.
 *
 * <p>The binaries are found through {@code migsafe.pg.bin} / {@code MIGSAFE_PG_BIN}, then PATH
 * (a folder with both initdb and pg_ctl), then the newest {@code /usr/lib/postgresql/N/bin}
 * (Debian) or {@code /usr/pgsql-N/bin} (RPM). initdb refuses to run as root, and tests run as root
 * in CI containers, so a root JVM runs the server as {@code postgres} (or {@code nobody}) through
 * runuser or su.
 */
public final class PgServer implements AutoCloseable {

    /** Thrown when no server can be had here; the message says why, in one sentence. */
    public static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why);
        }
    }

    private static final String USER = "migsafe";

    private final String url;
    private final Path dir;
    private final Path bin;
    private final RunAs runAs;
    private Thread shutdownHook;

    /** How to run a program as the server's user: no prefix when this JVM is not root. */
    private record RunAs(String user, List<String> prefix) {
        static final RunAs SELF = new RunAs(null, List.of());
    }

    private PgServer(String url, Path dir, Path bin, RunAs runAs) {
        this.url = url;
        this.dir = dir;
        this.bin = bin;
        this.runAs = runAs;
    }

    /** A new connection, autocommit on. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** The server's major version (15 for 15.18). */
    public int majorVersion() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        }
    }

    /** Where the server comes from, for messages. */
    public String describe() {
        return dir == null ? "the server at " + url.replaceAll("password=[^&]*", "password=...")
                : "a throwaway cluster of " + bin;
    }

    /** The configured server, or a throwaway one started now. */
    public static PgServer start() throws Unavailable {
        String external = setting("migsafe.pg.url", "MIGSAFE_PG_URL");
        if (external != null) {
            return new PgServer(external, null, null, RunAs.SELF);
        }
        Path bin = binaries();
        RunAs runAs = runAs();
        Path dir;
        try {
            dir = Files.createTempDirectory("migsafe-pg");
            if (runAs.user() != null) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(runAs.user());
                Files.setOwner(dir, owner);
            }
        } catch (IOException e) {
            throw new Unavailable("cannot prepare a temporary directory for PostgreSQL: " + e.getMessage());
        }
        PgServer server = null;
        try {
            Path data = dir.resolve("data");
            run(bin, runAs, dir, "initdb", "-D", data.toString(), "-U", USER, "-A", "trust", "--no-sync",
                    "-E", "UTF8", "--locale=C");
            Unavailable last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                // Settings go into postgresql.conf rather than pg_ctl -o, which passes them through a shell.
                // fsync off: a throwaway cluster; autovacuum off: nothing else takes locks or reads the tables.
                Files.writeString(data.resolve("postgresql.auto.conf"), String.join("\n",
                        "port = " + port,
                        "listen_addresses = '127.0.0.1'",
                        "unix_socket_directories = '" + dir + "'",
                        "fsync = off",
                        "synchronous_commit = off",
                        "full_page_writes = off",
                        "autovacuum = off",
                        "max_connections = 30",
                        "shared_buffers = 16MB",
                        ""), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.CREATE);
                try {
                    run(bin, runAs, dir, "pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                            "-w", "-t", "60", "start");
                    server = new PgServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER, dir, bin, runAs);
                    break;
                } catch (Unavailable e) {
                    last = e; // most likely the port was taken meanwhile: try another one
                }
            }
            if (server == null) {
                throw last;
            }
            PgServer started = server;
            started.shutdownHook = new Thread(started::stopQuietly, "migsafe-pg-stop");
            Runtime.getRuntime().addShutdownHook(started.shutdownHook);
            return started;
        } catch (IOException e) {
            delete(dir);
            throw new Unavailable("cannot configure the PostgreSQL cluster: " + e.getMessage());
        } catch (Unavailable e) {
            delete(dir);
            throw e;
        }
    }

    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        stopQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (or ran) the same stop
            }
        }
    }

    private synchronized void stopQuietly() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            run(bin, runAs, dir, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (Unavailable e) {
            System.err.println("lock-fact tests: stopping PostgreSQL failed: " + e.getMessage());
        }
        delete(dir);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The folder holding initdb and pg_ctl. */
    static Path binaries() throws Unavailable {
        String configured = setting("migsafe.pg.bin", "MIGSAFE_PG_BIN");
        if (configured != null) {
            Path p = Path.of(configured);
            if (!hasBinaries(p)) {
                throw new Unavailable("migsafe.pg.bin / MIGSAFE_PG_BIN names " + p + ", which has no initdb and pg_ctl");
            }
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty() && hasBinaries(Path.of(entry))) {
                    return Path.of(entry);
                }
            }
        }
        List<Path> found = new ArrayList<>();
        for (String[] pattern : new String[][] {{"/usr/lib/postgresql", ""}, {"/usr", "pgsql-"}}) {
            Path root = Path.of(pattern[0]);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.list(root)) {
                s.filter(p -> p.getFileName().toString().startsWith(pattern[1]))
                        .filter(p -> version(p, pattern[1]) > 0)
                        .map(p -> p.resolve("bin")).filter(PgServer::hasBinaries).forEach(found::add);
            } catch (IOException e) {
                // unreadable: as if absent
            }
        }
        return found.stream().max(Comparator.comparingDouble(p -> version(p.getParent(), p.getParent().getFileName()
                        .toString().startsWith("pgsql-") ? "pgsql-" : "")))
                .orElseThrow(() -> new Unavailable("PostgreSQL is not installed here (no initdb and pg_ctl on PATH "
                        + "or under /usr/lib/postgresql/*/bin); install Debian's postgresql package, or point "
                        + "migsafe.pg.url / MIGSAFE_PG_URL at a server"));
    }

    private static double version(Path dir, String prefix) {
        try {
            return Double.parseDouble(dir.getFileName().toString().substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    /** The command prefix that runs a program as an unprivileged user when this JVM runs as root; empty otherwise. */
    private static RunAs runAs() throws Unavailable {
        if (System.getProperty("os.name", "").startsWith("Windows") || !"0".equals(output("id", "-u"))) {
            return RunAs.SELF;
        }
        String user = output("id", "-u", "postgres") != null ? "postgres"
                : output("id", "-u", "nobody") != null ? "nobody" : null;
        if (user == null) {
            throw new Unavailable("running as root, and neither a postgres nor a nobody user exists to run the server "
                    + "(initdb refuses root)");
        }
        if (output("sh", "-c", "command -v runuser") != null) {
            return new RunAs(user, List.of("runuser", "-u", user, "--"));
        }
        if (output("sh", "-c", "command -v su") != null) {
            // su passes the words after the user to the shell: "$0" "$@" is the command as given.
            return new RunAs(user, List.of("su", "-s", "/bin/sh", "-c", "exec \"$0\" \"$@\"", user));
        }
        throw new Unavailable("running as root without runuser or su to start the server as " + user
                + " (initdb refuses root)");
    }

    /** Runs a PostgreSQL program as the server's user; its output goes to a log file, named in the failure. */
    private static void run(Path bin, RunAs runAs, Path dir, String program, String... args) throws Unavailable {
        List<String> cmd = new ArrayList<>(runAs.prefix());
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        Path log = dir.resolve(program + ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Unavailable(program + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
                Path serverLog = dir.resolve("server.log");
                if (Files.exists(serverLog)) {
                    out += " | " + Files.readString(serverLog, StandardCharsets.UTF_8).strip();
                }
                String last = out.lines().reduce((a, b) -> b).orElse("no output");
                throw new Unavailable(program + " failed (exit " + p.exitValue() + "): " + last);
            }
        } catch (IOException e) {
            throw new Unavailable("cannot run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while running " + program);
        }
    }

    /** A command's trimmed output, or null when it fails. */
    private static String output(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the PostgreSQL test cluster", e);
        }
    }
}
