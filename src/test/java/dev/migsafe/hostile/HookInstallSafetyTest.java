package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import dev.migsafe.env.RunContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 14: `hook install` replaces only a hook of exactly the shape it writes (for any
 * launcher), never a hand-written one that merely mentions the marker; it never writes through
 * a symlink (with --force the link itself is replaced), never opens a FIFO; and it finds
 * core.hooksPath where git does ($HOME and $XDG_CONFIG_HOME of the run, not the account's home
 * folder), checked against `git rev-parse --git-path hooks`, so that it never says "installed"
 * for a hook git will not run.
 */
class HookInstallSafetyTest {

    @TempDir
    Path dir;

    /** The run's HOME: not the account's home folder (which is the JVM's user.home). */
    @TempDir
    Path home;

    @TempDir
    Path outside;

    private final Map<String, String> env = new HashMap<>(System.getenv());

    @BeforeEach
    void repository() {
        GitScenario.create(dir).copy("shop", "shop").commit("shop project").close();
        env.put("HOME", home.toString());
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("XDG_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
    }

    @AfterEach
    void launcher() {
        System.clearProperty("migsafe.launcher");
    }

    record Run(int code, String out, String err) {}

    private Run install(String... options) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 3];
        args[0] = "hook";
        args[1] = "install";
        args[2] = "--repo=" + dir;
        System.arraycopy(options, 0, args, 3, options.length);
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), new RunContext(dir, env));
        return new Run(code, out.toString(), err.toString());
    }

    private Path hook() {
        return dir.resolve(".git/hooks/pre-commit");
    }

    private static void assertRefused(Run r, String expected) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertTrue(r.err().startsWith("migsafe: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("installed"), r.out());
    }

    // ------------------------------------------------------------------ whose hook it is

    @Test
    void aHandWrittenHookThatMentionsTheMarkerIsNotOurs() throws Exception {
        Files.createDirectories(hook().getParent());
        String ours = null;
        assertEquals(0, install().code());
        ours = Files.readString(hook());
        String secondLine = ours.lines().skip(1).findFirst().orElseThrow();

        for (String handWritten : List.of(
                "#!/bin/sh\n# migsafe hook: run it from here some day\nmake lint\n",
                "#!/bin/sh\n" + secondLine + "\nmake lint\n",
                ours + "make lint\n", // ours, with a line the user added
                ours.replace("analyze --staged", "analyze --staged --fail-on warning"))) {
            Files.writeString(hook(), handWritten);
            assertRefused(install(), hook() + " exists and is not migsafe's");
            assertEquals(handWritten, Files.readString(hook()));
        }
    }

    @Test
    void ourHookWrittenByAnotherLauncherIsUpdatedWithoutForce() throws Exception {
        System.setProperty("migsafe.launcher", "/opt/old migsafe/bin/migsafe");
        assertEquals(0, install("--pre-commit", "--pre-push").code());
        System.setProperty("migsafe.launcher", "/opt/mig's safe/bin/migsafe");
        Run r = install("--pre-commit", "--pre-push");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("updated the pre-commit hook") && r.out().contains("updated the pre-push hook"), r.out());
        System.clearProperty("migsafe.launcher");
        Run jvm = install("--pre-commit"); // the JVM and class path as the launcher: many words
        assertEquals(0, jvm.code(), jvm.err());
        assertTrue(jvm.out().contains("updated the pre-commit hook"), jvm.out());
        assertTrue(install("--pre-commit").out().contains("updated"));
    }

    // ------------------------------------------------------------------ what is at the hook's path

    @Test
    void aSymlinkedHookIsNeverWrittenThrough() throws Exception {
        // A tracked script, linked as the hook (a common set-up).
        Path tracked = Files.writeString(Files.createDirectories(dir.resolve("tools")).resolve("pre-commit.sh"),
                "#!/bin/sh\nmake lint\n");
        Files.createDirectories(hook().getParent());
        Files.createSymbolicLink(hook(), tracked);

        assertRefused(install(), "is a symbolic link");
        Run forced = install("--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("#!/bin/sh\nmake lint\n", Files.readString(tracked), "written through the link");
        assertFalse(Files.isSymbolicLink(hook()), "the link itself is replaced");
        assertTrue(Files.isExecutable(hook()));

        // A dangling link is not followed to create its target either.
        Files.delete(hook());
        Path target = dir.resolve("tools/missing-hook.sh");
        Files.createSymbolicLink(hook(), target);
        assertRefused(install(), "is a symbolic link");
        assertFalse(Files.exists(target));
    }

    @Test
    void aFifoOrAFolderIsRefusedEvenWithForceAndNeverOpened() throws Exception {
        Files.createDirectories(hook().getParent());
        try (FifoProbe fifo = FifoProbe.at(outside.resolve("fifo")).linkAt(hook())) {
            assertRefused(install(), hook() + " is a FIFO, not a hook file");
            assertFalse(fifo.wasOpened());
            assertRefused(install("--force"), hook() + " is a FIFO, not a hook file");
            assertFalse(fifo.wasOpened());
        }
        Files.delete(hook());
        Files.createDirectories(hook());
        assertRefused(install("--force"), hook() + " is a folder, not a hook file");
    }

    // ------------------------------------------------------------------ where git runs hooks

    @Test
    void theGlobalHooksPathIsReadFromTheRunsHomeNotTheAccounts() throws Exception {
        assertFalse(home.equals(Path.of(System.getProperty("user.home"))));
        Path shared = home.resolve("shared-hooks");
        Files.writeString(home.resolve(".gitconfig"), "[core]\n\thooksPath = ~/shared-hooks\n");
        assertRefused(install(), "core.hooksPath (" + shared + ") comes from your global or system git config");
        assertFalse(Files.exists(hook()));

        Run forced = install("--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("migsafe: installed the pre-commit hook: " + shared.resolve("pre-commit") + "\n",
                forced.out().replace("\r", ""));
        assertGitAgrees(shared);
    }

    @Test
    void theXdgConfigIsReadAndHomeOverridesIt() throws Exception {
        Path xdg = home.resolve("xdg");
        Files.createDirectories(xdg.resolve("git"));
        env.put("XDG_CONFIG_HOME", xdg.toString());
        Files.writeString(xdg.resolve("git/config"), "[core]\n\thooksPath = " + slashes(home.resolve("from-xdg")) + "\n");
        assertRefused(install(), "core.hooksPath (" + home.resolve("from-xdg") + ") comes from your global");
        assertGitAgrees(home.resolve("from-xdg"));

        Files.writeString(home.resolve(".gitconfig"), "[core]\n\thooksPath = " + slashes(home.resolve("from-home")) + "\n");
        assertRefused(install(), "core.hooksPath (" + home.resolve("from-home") + ") comes from your global");
        assertGitAgrees(home.resolve("from-home"));

        // The repository's own setting wins over both, and is not shared.
        Files.writeString(dir.resolve(".git/config"), Files.readString(dir.resolve(".git/config"))
                + "[core]\n\thooksPath = tools/hooks\n");
        Run r = install();
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isExecutable(dir.resolve("tools/hooks/pre-commit")));
        assertGitAgrees(dir.resolve("tools/hooks"));
    }

    /**
     * A setting migsafe does not read itself (an includeIf of the global config): git is asked
     * where it runs hooks, and migsafe does not install (nor say "installed") elsewhere.
     */
    @Test
    void whereGitWouldNotRunTheHookNothingIsInstalled() throws Exception {
        assumeTrue(git() != null, "no git here to ask");
        Path elsewhere = home.resolve("included-hooks");
        Files.writeString(home.resolve("extra.gitconfig"), "[core]\n\thooksPath = " + slashes(elsewhere) + "\n");
        Files.writeString(home.resolve(".gitconfig"), "[includeIf \"gitdir:" + slashes(dir.toRealPath()) + "/\"]\n"
                + "\tpath = " + slashes(home.resolve("extra.gitconfig")) + "\n");
        assertGitAgrees(elsewhere);

        Run r = install();
        assertRefused(r, "git runs hooks from " + elsewhere);
        assertFalse(Files.exists(hook()), "installed where git does not look");
        assertFalse(Files.exists(elsewhere));

        Run forced = install("--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().contains("installed the pre-commit hook: " + elsewhere.resolve("pre-commit")), forced.out());
        assertFalse(Files.exists(hook()));
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    private static String git() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Path.of(d).isAbsolute() && Files.isExecutable(Path.of(d, "git"))) {
                return Path.of(d, "git").toString();
            }
        }
        return null;
    }

    /** `git rev-parse --git-path hooks` in the work tree, with the run's environment, names {@code expected}. */
    private void assertGitAgrees(Path expected) throws IOException, InterruptedException {
        String git = git();
        if (git == null) {
            return; // nothing to compare with here
        }
        ProcessBuilder pb = new ProcessBuilder(git, "rev-parse", "--git-path", "hooks").directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertEquals(0, p.waitFor(), out);
        assertEquals(expected.normalize(), dir.resolve(out).normalize());
    }
}
