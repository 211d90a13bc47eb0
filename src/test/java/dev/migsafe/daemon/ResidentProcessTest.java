package dev.migsafe.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitRepository;
import dev.migsafe.python.ParseCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident process: served in this JVM on a thread (and once started for real with `daemon
 * start`), against fixture repositories in temp dirs. Its answers must be what a direct run in
 * the client's directory and environment prints, byte for byte.
 */
class ResidentProcessTest {

    private static final String ORDERS = "shop/orders/migrations/";
    private static final String BUILD = "test-build";
    private static final String REMOVE_NOTES = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n"
            + "    dependencies = [(\"orders\", \"0007_delete_ordernote\")]\n\n"
            + "    operations = [\n        migrations.RemoveField(model_name=\"order\", name=\"notes\"),\n    ]\n";

    @TempDir
    Path tmp;

    Path repo;
    Path socketDir;
    Path socket;
    Server server;
    Thread serving;
    final AtomicReference<String> buildOnDisk = new AtomicReference<>(BUILD);

    record Run(int code, String out, String err) {}

    @BeforeEach
    void shopWithAStagedMigration() throws Exception {
        repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        GitScenario.create(repo).copy("shop", "shop").commit("shop project")
                .write(ORDERS + "0008_remove_notes.py", REMOVE_NOTES).close();
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(ORDERS + "0008_remove_notes.py").call();
        }
        Files.createDirectories(tmp.resolve("run"));
        socketDir = SocketDir.prepare(tmp.resolve("run").resolve("migsafe"));
        try (GitRepository git = GitRepository.open(repo.toFile())) {
            socket = SocketDir.socketOf(socketDir, git.commonDir());
        }
        ParseCache.keepResident(64L << 20);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
            serving.join(TimeUnit.SECONDS.toMillis(30));
            server.close();
        }
        ParseCache.keepResident(0);
    }

    private void serve(Duration idle) throws DaemonException {
        Server.Settings settings = new Server.Settings(socket, BUILD, buildOnDisk::get, idle, System.getenv(),
                () -> "in memory: " + ParseCache.residentSummary() + "\n");
        server = Server.bind(settings, Main::execute);
        assertNotNull(server);
        serving = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "resident-process-test");
        serving.start();
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                env.remove(pairs[i]);
            } else {
                env.put(pairs[i], pairs[i + 1]);
            }
        }
        return env;
    }

    /** What the resident process answers; null when it refuses. */
    private Run viaProcess(String build, Path cwd, Map<String, String> env, String... args) throws IOException {
        List<Protocol.Frame> frames = Client.call(socket, Protocol.request(Protocol.RUN, build, cwd.toString(), List.of(args), env));
        Protocol.Frame last = frames.get(frames.size() - 1);
        if (last.type() == Protocol.REFUSED) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        for (Protocol.Frame f : frames.subList(0, frames.size() - 1)) {
            (f.type() == Protocol.STDOUT ? out : err).writeBytes(f.payload());
        }
        Charset cs = Charset.defaultCharset();
        return new Run(last.code(), out.toString(cs), err.toString(cs));
    }

    /** A direct run, as `migsafe ARGS` started in cwd with env would print it. */
    private static Run direct(Path cwd, Map<String, String> env, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err, true), new RunContext(cwd, env));
        return new Run(code, out.toString(), err.toString());
    }

    private void assertSame(Path cwd, Map<String, String> env, String... args) throws Exception {
        Run expected = direct(cwd, env, args);
        Run actual = viaProcess(BUILD, cwd, env, args);
        assertNotNull(actual, "refused");
        assertEquals(expected.out(), actual.out(), String.join(" ", args));
        assertEquals(expected.err(), actual.err(), String.join(" ", args));
        assertEquals(expected.code(), actual.code(), String.join(" ", args));
    }

    @Test
    void answersAsADirectRunWouldInTextJsonFilesErrorsAndDebug() throws Exception {
        serve(Duration.ofMinutes(5));
        Map<String, String> env = env();
        assertSame(repo, env, "analyze", "--staged");
        assertSame(repo, env, "analyze", "--staged", "--format", "json");
        assertSame(repo, env, "analyze", ORDERS + "0008_remove_notes.py");
        assertSame(repo.resolve("shop"), env, "analyze", "orders/migrations/0008_remove_notes.py", "--format=json");
        assertSame(repo, env, "analyze", "no-such-branch...HEAD");
        assertSame(repo, env, "analyze", "no-such-branch...HEAD", "--debug");
        assertSame(repo, env, "analyze", "--staged", "--database", "oracle");
        assertSame(repo, env, "analyze", ORDERS + "0099_missing.py");
        assertSame(repo, env, "analyze", "--help");
        assertSame(tmp, env, "analyze", "--staged"); // not a repository

        Run staged = viaProcess(BUILD, repo, env, "analyze", "--staged");
        assertEquals(1, staged.code());
        assertTrue(staged.out().contains("orders.0008_remove_notes  (added)"), staged.out());
        assertTrue(staged.out().contains("error C102"), staged.out());
        Run error = viaProcess(BUILD, repo, env, "analyze", "no-such-branch...HEAD");
        assertEquals(2, error.code());
        assertEquals("", error.out());
        assertEquals(1, error.err().lines().count(), error.err());
        assertTrue(error.err().startsWith("migsafe: "), error.err());
    }

    @Test
    void relativePathsAreTheClientsAndTheModelsStayInMemory() throws Exception {
        serve(Duration.ofMinutes(5));
        // The default --repo "." is the client's directory, not this process's (a clone without migrations).
        Run fromRepo = viaProcess(BUILD, repo.resolve("shop/orders"), env(), "analyze", "--staged", "--output", "report.txt");
        assertEquals(1, fromRepo.code(), fromRepo.err());
        assertEquals("", fromRepo.out());
        String report = Files.readString(repo.resolve("shop/orders/report.txt"));
        assertTrue(report.contains("orders.0008_remove_notes  (added)"), report);

        // A second request reads every unchanged model from memory: with the disk cache gone, same answer.
        deleteTree(repo.resolve(".git/migsafe"));
        Run again = viaProcess(BUILD, repo, env(), "analyze", "--staged");
        assertEquals(report, again.out());
        assertFalse(Files.exists(repo.resolve(".git/migsafe/cache/v2")), "nothing new was parsed or written");
        List<Protocol.Frame> status = Client.status(socket);
        assertTrue(status.get(0).text().contains("2 requests"), status.get(0).text());
        assertTrue(status.get(0).text().matches("(?s).*in memory: [1-9][0-9]* parsed files.*"), status.get(0).text());
    }

    @Test
    void theClientsIndexFileIsRead() throws Exception {
        // A temporary index with the new migration (as `git commit -a` hands the hook), and a real
        // index without it.
        Files.copy(repo.resolve(".git/index"), repo.resolve(".git/commit-a-index"));
        try (Git git = Git.open(repo.toFile())) {
            git.rm().setCached(true).addFilepattern(ORDERS + "0008_remove_notes.py").call();
        }
        serve(Duration.ofMinutes(5));
        Run plain = viaProcess(BUILD, repo, env("GIT_INDEX_FILE", null), "analyze", "--staged");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("0 migrations changed"), plain.out());
        // Relative, as git passes it: from the client's directory.
        Run commitA = viaProcess(BUILD, repo, env("GIT_INDEX_FILE", ".git/commit-a-index"), "analyze", "--staged");
        assertEquals(1, commitA.code(), commitA.err());
        assertTrue(commitA.out().contains("orders.0008_remove_notes  (added)"), commitA.out());
        // And the process's own environment was left as it was.
        Run after = viaProcess(BUILD, repo, env("GIT_INDEX_FILE", null), "analyze", "--staged");
        assertEquals(plain.out(), after.out());
    }

    @Test
    void anotherBuildOrAnotherUsersSetupIsRefused() throws Exception {
        serve(Duration.ofMinutes(5));
        assertNull(viaProcess(BUILD, repo, env("HOME", tmp.toString()), "analyze", "--staged"));
        assertNull(viaProcess(BUILD, repo, env("GIT_CONFIG_GLOBAL", tmp.resolve("gitconfig").toString()), "analyze", "--staged"));
        assertNull(viaProcess(BUILD, repo, env(), "hook", "install"));
        // `git -c` (a hook of `git -c user.name=x commit`) names no config file: served.
        assertNotNull(viaProcess(BUILD, repo, env("GIT_CONFIG_PARAMETERS", "'user.name'='x'"), "analyze", "--staged"));
        assertNotNull(viaProcess(BUILD, repo, env(), "analyze", "--staged"));
        // Its own jar changed on disk: it refuses, and leaves.
        buildOnDisk.set("jar:3:4");
        assertNull(viaProcess(BUILD, repo, env(), "analyze", "--staged"));
        serving.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(serving.isAlive());
        server.close();
        server = null;

        // A client of another build: refused, and it leaves for a process of that build.
        buildOnDisk.set(BUILD);
        serve(Duration.ofMinutes(5));
        assertNull(viaProcess("jar:1:2", repo, env(), "analyze", "--staged"));
        serving.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(serving.isAlive());
    }

    @Test
    void aSocketFolderOthersCanReachIsRefused() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        DaemonException e = assertThrows(DaemonException.class, () -> SocketDir.prepare(open));
        assertTrue(e.getMessage().contains("is open to other users"), e.getMessage());
        Path link = Files.createSymbolicLink(tmp.resolve("link"), socketDir);
        assertThrows(DaemonException.class, () -> SocketDir.check(link));

        // `daemon start` says so in one sentence.
        Files.createDirectories(tmp.resolve("xdg"));
        Files.setPosixFilePermissions(Files.createDirectory(tmp.resolve("xdg/migsafe")), PosixFilePermissions.fromString("rwxrwxrwx"));
        Run start = direct(repo, env("XDG_RUNTIME_DIR", tmp.resolve("xdg").toString()), "daemon", "start");
        assertEquals(2, start.code());
        assertEquals(1, start.err().lines().count(), start.err());
        assertTrue(start.err().contains("is open to other users"), start.err());
    }

    @Test
    void itLeavesWhenIdleOrAskedAndOnlyOneServesARepository() throws Exception {
        serve(Duration.ofMillis(200));
        Server.Settings again = new Server.Settings(socket, BUILD, () -> BUILD, Duration.ofMinutes(1), System.getenv(), () -> "");
        assertNull(Server.bind(again, Main::execute), "the lock is held");
        serving.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(serving.isAlive(), "left after the idle timeout");
        server.close();
        assertFalse(Files.exists(socket));
        server = null;

        serve(Duration.ofMinutes(5));
        assertTrue(Client.answers(socket));
        Client.stop(socket);
        serving.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(serving.isAlive(), "left when asked");
    }

    // --- the Python client ---

    private static final Path CLIENT = Path.of("packaging/python/django_migsafe/daemon_client.py");

    private record Proc(int code, String out, String err) {}

    private Proc python(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-S", CLIENT.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("py.out").toFile());
        pb.redirectError(tmp.resolve("py.err").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Assumptions.abort("no python3: " + e.getMessage());
            return null;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Proc(p.exitValue(), Files.readString(tmp.resolve("py.out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("py.err"), StandardCharsets.UTF_8));
    }

    /** A fallback command that only says how it was called. */
    private Path fallback() throws IOException {
        Path script = tmp.resolve("fallback.sh");
        Files.writeString(script, "#!/bin/sh\necho \"fallback $MIGSAFE_DAEMON_CLIENT $*\"\nexit 7\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void thePythonClientGetsTheSameAnswerOrFallsBack() throws Exception {
        Path jar = Files.writeString(tmp.resolve("migsafe.jar"), "not really a jar");
        buildOnDisk.set(Identity.of(jar));
        Server.Settings settings = new Server.Settings(socket, Identity.of(jar), buildOnDisk::get, Duration.ofMinutes(5),
                System.getenv(), () -> "");
        server = Server.bind(settings, Main::execute);
        serving = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        serving.start();
        Map<String, String> env = env("XDG_RUNTIME_DIR", tmp.resolve("run").toString(), "MIGSAFE_DAEMON", null);
        Path shop = repo.resolve("shop");
        for (String[] args : List.of(new String[] {"analyze", "--staged"},
                new String[] {"analyze", "--staged", "--format", "json"},
                new String[] {"analyze", "orders/migrations/0008_remove_notes.py"},
                new String[] {"analyze", "nowhere...HEAD", "--debug"})) {
            List<String> command = new ArrayList<>(List.of("--fallback", fallback().toString(), jar.toString()));
            command.addAll(List.of(args));
            Proc viaClient = python(shop, env, command.toArray(String[]::new));
            Run expected = direct(shop, env, args);
            assertEquals(expected.out(), viaClient.out(), String.join(" ", args));
            assertEquals(expected.err(), viaClient.err(), String.join(" ", args));
            assertEquals(expected.code(), viaClient.code(), String.join(" ", args));
        }

        // Anything off: the fallback runs instead, marked so that a launcher does not loop.
        Proc notAnalyze = python(shop, env, "--fallback", fallback().toString(), jar.toString(), "graph");
        assertEquals("fallback fallback graph\n", notAnalyze.out());
        Proc off = python(shop, env("XDG_RUNTIME_DIR", tmp.resolve("run").toString(), "MIGSAFE_DAEMON", "off"),
                "--fallback", fallback().toString(), jar.toString(), "analyze", "--staged");
        assertEquals("fallback fallback analyze --staged\n", off.out());
        Proc noRepository = python(tmp, env, "--fallback", fallback().toString(), jar.toString(), "analyze", "--staged");
        assertEquals("fallback fallback analyze --staged\n", noRepository.out());

        // A socket folder others can reach is not used, even with the right socket in it.
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-x---"));
        try {
            Proc exposed = python(shop, env, "--fallback", fallback().toString(), jar.toString(), "analyze", "--staged");
            assertEquals("fallback fallback analyze --staged\n", exposed.out());
        } finally {
            Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
        }
        assertTrue(Client.answers(socket), "still serving");

        Path other = Files.writeString(tmp.resolve("other.jar"), "another build");
        Proc foreign = python(shop, env, "--fallback", fallback().toString(), other.toString(), "analyze", "--staged");
        assertEquals(7, foreign.code());
        assertEquals("fallback fallback analyze --staged\n", foreign.out());
    }

    @Test
    void daemonStartStatusAndStopRunAProcessOfItsOwn() throws Exception {
        // The background process is a real JVM on this class path; its identity is the classes folder.
        Map<String, String> env = env("XDG_RUNTIME_DIR", tmp.resolve("run").toString(), "MIGSAFE_DAEMON", null);
        try {
            Run start = direct(repo, env, "daemon", "start", "--idle-timeout", "2m");
            assertEquals(0, start.code(), start.err() + start.out());
            assertTrue(start.out().startsWith("migsafe: resident process started for "), start.out());
            Run status = direct(repo, env, "daemon", "status");
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("idle timeout 120s"), status.out());
            Run twice = direct(repo, env, "daemon", "start");
            assertTrue(twice.out().contains("already serves"), twice.out());

            Path classes = Identity.codeSource();
            Proc viaClient = python(repo, env, "--fallback", fallback().toString(), classes.toString(), "analyze", "--staged");
            Run expected = direct(repo, env, "analyze", "--staged");
            assertEquals(expected.out(), viaClient.out());
            assertEquals(expected.code(), viaClient.code());
        } finally {
            Run stop = direct(repo, env, "daemon", "stop");
            assertEquals(0, stop.code(), stop.err());
        }
        Run after = direct(repo, env, "daemon", "status");
        assertEquals(1, after.code());
        assertTrue(after.out().startsWith("migsafe: no resident process serves "), after.out());
        assertFalse(Files.exists(socket));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
