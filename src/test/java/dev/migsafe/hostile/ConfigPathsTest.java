package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 13 (and the folder part of 17): a path in the configuration must stay inside
 * the repository, after symlinks, whether the configuration is the repository's own
 * (pyproject.toml, .migsafe.toml, committed or in the work tree) or a file named with
 * --config: neither opens /etc/passwd, nor reads or writes a baseline next to the clone. Only
 * `--baseline FILE` typed on the command line may name a file elsewhere. `--config DIR` says it
 * is a folder.
 */
class ConfigPathsTest {

    @TempDir
    Path temp;

    private Path dir;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--repo=" + dir);
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** The shop project with a new migration on feature, and a baseline accepting all of it next to the clone. */
    private GitScenario repository(String file, String config) throws IOException {
        dir = Files.createDirectories(temp.resolve("clone/repo"));
        GitScenario repo = GitScenario.create(dir).copy("shop", "shop").commit("shop project").branch("feature")
                .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py");
        if (config != null) {
            repo.write(file, config);
        }
        return repo.commit("feature");
    }

    private static void assertRefused(Run r, String expected) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals("migsafe: " + expected, r.err().strip());
    }

    @Test
    void anAbsoluteBaselineInTheCommittedConfigIsNotOpened() throws IOException {
        try (GitScenario repo = repository(".migsafe.toml", "baseline = \"/etc/passwd\"\n")) {
            assertRefused(run("analyze", "main...feature"), ".migsafe.toml: 'baseline' must be a path inside the repository,"
                    + " not /etc/passwd");
        }
    }

    @Test
    void aBaselineOutsideTheRepositoryIsNeitherAppliedNorWritten() throws IOException {
        try (GitScenario repo = repository("pyproject.toml", "[tool.migsafe]\nbaseline = \"../accepted.json\"\n")) {
            Path outside = temp.resolve("clone/accepted.json");
            // Written from the command line, the file outside is the user's own choice...
            assertEquals(0, run("baseline", "write", "--baseline", outside.toString()).code());
            byte[] accepted = Files.readAllBytes(outside);
            // ...but the committed configuration cannot make analyze apply it, nor baseline write replace it.
            String expected = "pyproject.toml [tool.migsafe]: 'baseline' must be a path inside the repository, not ../accepted.json";
            assertRefused(run("analyze", "main...feature"), expected);
            assertRefused(run("baseline", "write"), expected);
            assertEquals(new String(accepted), Files.readString(outside));
            // The same from the work tree (--staged reads the configuration there).
            assertRefused(run("analyze", "--staged"), expected);

            // Nor can a committed symlink in place of the default baseline file.
            repo.write("pyproject.toml", "[tool.migsafe]\n");
            Files.createSymbolicLink(dir.resolve(".migsafe-baseline.json"), outside);
            repo.commit("the default baseline, a link out of the clone");
            assertRefused(run("analyze", "main...feature"), "the baseline must be a path inside the repository,"
                    + " not .migsafe-baseline.json (.migsafe-baseline.json is a symbolic link out of it)");
        }
    }

    @Test
    void aBaselineReachedThroughASymlinkOutOfTheRepositoryIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        try (GitScenario repo = repository(".migsafe.toml", "baseline = \"ci/state/baseline.json\"\n")) {
            Files.createDirectories(dir.resolve("ci"));
            Files.createSymbolicLink(dir.resolve("ci/state"), elsewhere);
            repo.commit("a committed symlink out of the repository");
            assertRefused(run("baseline", "write"), ".migsafe.toml: 'baseline' must be a path inside the repository,"
                    + " not ci/state/baseline.json (ci/state is a symbolic link out of it)");
            assertFalse(Files.exists(elsewhere.resolve("baseline.json")));
        }
    }

    @Test
    void aConfigFileNamedOnTheCommandLineIsHeldToTheSameRule() throws IOException {
        try (GitScenario repo = repository(".migsafe.toml", null)) {
            Path config = Files.writeString(dir.resolve("ci.toml"), "baseline = \"../../x.json\"\n");
            assertRefused(run("baseline", "write", "--config", config.toString()),
                    config + ": 'baseline' must be a path inside the repository, not ../../x.json");
            assertFalse(Files.exists(temp.resolve("x.json")));
            // A path inside is fine.
            Files.writeString(config, "baseline = \"ci/baseline.json\"\n");
            Run r = run("baseline", "write", "--config", config.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isRegularFile(dir.resolve("ci/baseline.json")));
        }
    }

    @Test
    void theWorkTreesConfigFilesAreReadOnlyAsRegularFilesInsideTheRepository() throws Exception {
        try (GitScenario repo = repository(".migsafe.toml", null)) {
            // A symlink out of the clone (git stores it as a link; --staged reads the work tree).
            Path foreign = Files.writeString(temp.resolve("foreign.toml"), "[tool.migsafe]\nfail-on = \"never\"\n");
            Path pyproject = dir.resolve("pyproject.toml");
            Files.createSymbolicLink(pyproject, foreign);
            assertRefused(run("analyze", "--staged"), "pyproject.toml is a symbolic link out of the repository (or to nothing):"
                    + " migsafe reads the configuration only from inside it");
            Files.delete(pyproject);
            // A FIFO is not opened (it would block), and not taken for a missing file either.
            try (FifoProbe fifo = FifoProbe.at(temp.resolve("fifo")).linkAt(dir.resolve(".migsafe.toml"))) {
                assertRefused(run("analyze", "--staged"), ".migsafe.toml is a FIFO, not a file");
                assertFalse(fifo.wasOpened());
            }
            // A symlink to a file inside the repository is the project's own.
            Files.delete(dir.resolve(".migsafe.toml"));
            Files.writeString(Files.createDirectories(dir.resolve("config")).resolve("migsafe.toml"), "fail-on = \"bogus\"\n");
            Files.createSymbolicLink(dir.resolve(".migsafe.toml"), Path.of("config/migsafe.toml"));
            Run r = run("analyze", "--staged");
            assertEquals(2, r.code());
            assertTrue(r.err().contains(".migsafe.toml: 'fail-on' must be"), r.err());
        }
    }

    @Test
    void configNamingAFolderSaysSo() throws IOException {
        try (GitScenario repo = repository(".migsafe.toml", null)) {
            Path folder = Files.createDirectories(dir.resolve("conf"));
            assertRefused(run("analyze", "main...feature", "--config", folder.toString()),
                    "--config " + folder + " is a folder, not a file");
        }
    }
}
