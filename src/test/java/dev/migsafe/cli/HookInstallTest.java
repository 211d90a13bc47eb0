package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.env.RunContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `hook install` writes, what it refuses to overwrite, and that it touches nothing else. */
class HookInstallTest {

    @TempDir
    Path dir;

    @TempDir
    Path home;

    private SystemReader original;

    /** The run's environment: HOME is this test's own folder, and no other git setting comes in. */
    private final Map<String, String> env = new HashMap<>(System.getenv());

    /**
     * The user's git config is a file of this test's own, so that a developer's settings play no
     * part: for JGit, and for hook install, which reads it where git does (the run's HOME).
     */
    @BeforeEach
    void isolateUserConfig() {
        env.put("HOME", home.toString());
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("XDG_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        original = SystemReader.getInstance();
        Path userConfig = home.resolve(".gitconfig");
        SystemReader.setInstance(new SystemReader.Delegate(original) {
            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, userConfig.toFile(), fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, home.resolve("no-system-config").toFile(), fs);
            }
        });
        GitScenario.create(dir).copy("shop", "shop").commit("shop project").close();
    }

    @AfterEach
    void restore() {
        SystemReader.setInstance(original);
        System.clearProperty("migsafe.launcher");
    }

    record Run(int code, String out, String err) {}

    private Run install(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 3];
        args[0] = "hook";
        args[1] = "install";
        args[2] = "--repo=" + dir;
        System.arraycopy(options, 0, args, 3, options.length);
        int code;
        try {
            code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), new RunContext(dir, env));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> filesUnderGitDir() throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve(".git"))) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void installsThePreCommitHookByDefaultAndTouchesNothingElse() throws IOException {
        List<String> before = filesUnderGitDir();
        Run run = install();
        assertEquals(0, run.code(), run.err());
        assertEquals("migsafe: installed the pre-commit hook: " + dir.resolve(".git/hooks/pre-commit") + "\n",
                run.out().replace("\r", ""));
        List<String> after = new java.util.ArrayList<>(filesUnderGitDir());
        after.remove(".git/hooks/pre-commit");
        assertEquals(before, after);
        assertTrue(Files.isExecutable(dir.resolve(".git/hooks/pre-commit")));
        assertFalse(Files.exists(dir.resolve(".git/hooks/pre-push")));
    }

    @Test
    void aBareRepositoryIsRefusedAndLeftAlone() throws Exception {
        Path bare = home.resolve("bare.git");
        org.eclipse.jgit.api.Git.cloneRepository().setURI(dir.toUri().toString()).setDirectory(bare.toFile())
                .setBare(true).call().close();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"hook", "install", "--pre-push", "--force", "--repo=" + bare},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code);
        assertEquals("migsafe: the repository is bare: install the hook in a clone you commit in\n",
                err.toString().replace("\r", ""));
        assertFalse(Files.exists(bare.resolve("hooks/pre-push")));
    }

    @Test
    void theHookRunsTheLauncherThatInstalledIt() throws IOException {
        System.setProperty("migsafe.launcher", "/opt/mig's safe/bin/migsafe");
        assertEquals(0, install("--pre-commit", "--pre-push").code());
        String preCommit = Files.readString(dir.resolve(".git/hooks/pre-commit"));
        assertTrue(preCommit.contains("exec '/opt/mig'\\''s safe/bin/migsafe' analyze --staged\n"), preCommit);
        String prePush = Files.readString(dir.resolve(".git/hooks/pre-push"));
        assertTrue(prePush.contains("run() { '/opt/mig'\\''s safe/bin/migsafe' \"$@\"; }"), prePush);
        assertTrue(prePush.contains("run analyze \"$local_sha\""), prePush);
    }

    @Test
    void aForeignHookIsKeptUnlessForced() throws IOException {
        Path hook = dir.resolve(".git/hooks/pre-commit");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\nmake lint\n");

        Run refused = install();
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains(hook + " exists and is not migsafe's; run with --force"), refused.err());
        assertEquals("#!/bin/sh\nmake lint\n", Files.readString(hook));

        // Nothing is half-installed when one of two hooks is refused.
        assertEquals(2, install("--pre-commit", "--pre-push").code());
        assertFalse(Files.exists(dir.resolve(".git/hooks/pre-push")));

        Run forced = install("--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().contains("replaced the pre-commit hook"), forced.out());
        assertTrue(Files.readString(hook).contains(HookCommand.MARKER));

        // Ours is updated in place without --force.
        Run again = install();
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("updated the pre-commit hook"), again.out());
    }

    @Test
    void coreHooksPathOfTheRepositoryIsWhereGitLooks() throws IOException {
        Files.writeString(dir.resolve(".git/config"), Files.readString(dir.resolve(".git/config"))
                + "[core]\n\thooksPath = tools/hooks\n");
        Run run = install();
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isExecutable(dir.resolve("tools/hooks/pre-commit")));
        assertFalse(Files.exists(dir.resolve(".git/hooks/pre-commit")));
    }

    @Test
    void aGlobalHooksPathIsNotWrittenToWithoutForce() throws IOException {
        Path shared = home.resolve("shared-hooks");
        Files.writeString(home.resolve(".gitconfig"), "[core]\n\thooksPath = " + shared.toString().replace('\\', '/') + "\n");
        Run refused = install();
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("comes from your global or system git config"), refused.err());
        assertFalse(Files.exists(shared));

        assertEquals(0, install("--force").code());
        assertTrue(Files.exists(shared.resolve("pre-commit")));
    }
}
