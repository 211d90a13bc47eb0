package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration through `migsafe` itself: each key's effect on a real repository (fixtures/shop
 * on main, the report migrations on feature), where it is read from, and every kind of mistake
 * ending with exit 2 and one sentence naming the file, the key and the closest valid word.
 */
class ConfigurationTest {

    @TempDir
    Path temp;

    /** The repository the commands run on: the last one a test created. */
    private Path dir;
    private int repos;

    private GitScenario repository() {
        dir = temp.resolve("repo" + ++repos);
        return GitScenario.create(dir);
    }

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--repo=" + dir);
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** main: the shop project; feature: two pull-request migrations and {@code config} as .migsafe.toml. */
    private GitScenario shop(String config) {
        GitScenario repo = repository().copy("shop", "shop").commit("shop project").branch("feature")
                .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py")
                .copy("report/0009_order_channel_index.py", "shop/orders/migrations/0009_order_channel_index.py");
        if (config != null) {
            repo.write(".migsafe.toml", config);
        }
        return repo.commit("feature");
    }

    private static List<String> rules(Run r) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(r.out()).get("findings")) {
            out.add(f.get("rule").asText());
        }
        return out;
    }

    private static void assertConfigError(Run r, String message) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals("migsafe: " + message, r.err().strip());
        assertFalse(r.err().contains("Exception"));
    }

    // --- where the configuration comes from

    @Test
    void failOnNeverInTheCommitMakesFindingsPassUnlessTheCommandLineSaysOtherwise() {
        try (GitScenario repo = shop(null)) {
            assertEquals(1, run("analyze", "main...feature").code(), "errors fail by default");
        }
        try (GitScenario repo = shop("fail-on = \"never\"\n")) {
            assertEquals(0, run("analyze", "main...feature").code());
            assertEquals(1, run("analyze", "main...feature", "--fail-on", "error").code());
        }
    }

    @Test
    void failOnWarningCountsWarnings() {
        try (GitScenario repo = repository()) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .write("shop/orders/migrations/0008_refresh_view.py", """
                            from django.db import migrations


                            class Migration(migrations.Migration):
                                dependencies = [("orders", "0007_delete_ordernote")]

                                operations = [migrations.RunSQL("REFRESH MATERIALIZED VIEW orders_daily_totals", migrations.RunSQL.noop)]
                            """).commit("a warning only");
            assertEquals(0, run("analyze", "main...feature").code(), "a warning passes fail-on error");
            repo.write(".migsafe.toml", "fail-on = \"warning\"\n").commit("configure");
            assertEquals(1, run("analyze", "main...feature").code());
            assertEquals(0, run("analyze", "main...feature", "--fail-on", "error").code());
        }
    }

    @Test
    void theAnalysedCommitsFileIsReadNotTheWorkTreesUnlessStagedOrWorktree() throws Exception {
        try (GitScenario repo = shop("fail-on = \"never\"\n")) {
            repo.write(".migsafe.toml", "fail_on = \"never\"\n");
            assertEquals(0, run("analyze", "main...feature").code(), "the commit's configuration is valid");
            assertConfigError(run("analyze", "--worktree"), ".migsafe.toml: unknown key 'fail_on'; did you mean 'fail-on'?");
            assertConfigError(run("analyze", "--staged"), ".migsafe.toml: unknown key 'fail_on'; did you mean 'fail-on'?");
        }
    }

    @Test
    void configFileWinsOverTheRepositorysFiles() {
        try (GitScenario repo = shop("fail-on = \"never\"\n")) {
            String strict = write("strict.toml", "fail-on = \"error\"\n");
            assertEquals(1, run("analyze", "main...feature", "--config", strict).code());
            String pyproject = write("pyproject.toml", "[tool.migsafe]\nfail-on = \"error\"\n");
            assertEquals(1, run("analyze", "main...feature", "--config", pyproject).code());
            String bad = write("bad.toml", "databse = \"mysql\"\n");
            assertConfigError(run("analyze", "main...feature", "--config", bad), bad + ": unknown key 'databse'; did you mean 'database'?");
            String missing = write("x.toml", "").replace("x.toml", "nope.toml");
            assertConfigError(run("analyze", "main...feature", "--config", missing), "--config " + missing + ": no such file");
        }
    }

    @Test
    void pyprojectToolMigsafeIsRead() {
        try (GitScenario repo = shop(null)) {
            repo.write("pyproject.toml", "[project]\nname = \"shop\"\n\n[tool.migsafe]\nfail-on = \"never\"\n").commit("pyproject");
            assertEquals(0, run("analyze", "main...feature").code());
        }
    }

    @Test
    void bothFilesIsAnError() {
        try (GitScenario repo = shop("fail-on = \"never\"\n")) {
            repo.write("pyproject.toml", "[tool.migsafe]\nfail-on = \"warning\"\n").commit("second configuration");
            assertConfigError(run("analyze", "main...feature"), ".migsafe.toml and pyproject.toml [tool.migsafe] both "
                    + "configure migsafe: keep one of them (.migsafe.toml would otherwise hide the other)");
        }
    }

    // --- each key's effect

    @Test
    void databaseAndTheCommandLineOverride() {
        try (GitScenario repo = shop("database = \"mysql\"\n")) {
            String mysql = run("analyze", "main...feature").out();
            assertTrue(mysql.contains("lock: metadata lock on orders_order"), mysql);
            assertFalse(mysql.contains("ACCESS EXCLUSIVE"), mysql);
            String postgres = run("analyze", "main...feature", "--database", "postgresql").out();
            assertTrue(postgres.contains("ACCESS EXCLUSIVE on orders_order"), postgres);
        }
    }

    @Test
    void djangoVersionAndTheCommandLineOverride() {
        try (GitScenario repo = shop("django = \"4.2\"\n")) {
            String old = run("analyze", "main...feature").out();
            assertTrue(old.contains("(db_default needs Django >= 5.0)"), old);
            String recent = run("analyze", "main...feature", "--django", "5.1").out();
            assertTrue(recent.contains("fix: add `db_default='web'` to the field"), recent);
            assertFalse(recent.contains("db_default needs"), recent);
        }
    }

    @Test
    void defaultBranchAndTheCommandLineOverride() {
        try (GitScenario repo = shop("default-branch = \"feature\"\n")) {
            // HEAD is feature: against itself nothing is new.
            assertTrue(run("analyze").out().contains("0 migrations changed"));
            assertTrue(run("analyze", "--default-branch", "main").out().contains("2 migrations changed"));
        }
        try (GitScenario repo = repository()) {
            repo.copy("shop", "shop").write(".migsafe.toml", "default-branch = \"trunk\"\n").commit("shop");
            Run r = run("analyze");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("no default branch found"), r.err());
        }
    }

    @Test
    void excludeLeavesFilesOutOfEveryCommand() {
        try (GitScenario repo = shop("exclude = [\"shop/orders/migrations/0009_*.py\"]\n")) {
            Run r = run("analyze", "main...feature", "--format", "json");
            assertTrue(r.out().contains("0008_order_review_changes"));
            assertFalse(r.out().contains("0009_order_channel_index"), r.out());
            assertTrue(run("graph", "feature").out().contains("0008_order_review_changes"));
            assertFalse(run("graph", "feature").out().contains("0009_order_channel_index"));
            // main has 26 migration files and no configuration; feature adds two and excludes one.
            assertTrue(run("history", "main").out().contains("history of main: 1 commits, 26 migration files"));
            assertTrue(run("history", "feature").out().contains("history of feature: 2 commits, 27 migration files"),
                    run("history", "feature").out());
        }
    }

    @Test
    void includeFindsMigrationsInAnotherFolderWithAppLabels() throws Exception {
        try (GitScenario repo = repository()) {
            repo.copy("scenarios/files/blog_0001_initial.py", "blog/db_migrations/0001_initial.py").commit("blog");
            assertFalse(run("graph", "--format", "json").out().contains("0001_initial"));
            repo.write(".migsafe.toml", """
                    include = ["**/migrations/*.py", "**/db_migrations/*.py"]
                    [app-labels]
                    "blog/db_migrations" = "blog"
                    """).commit("configure");
            JsonNode graph = new ObjectMapper().readTree(run("graph", "--format", "json").out());
            assertTrue(graph.toString().contains("\"blog\""), graph.toString());
            assertTrue(graph.toString().contains("0001_initial"), graph.toString());
        }
    }

    @Test
    void customOperationsClassifyAnOperation() throws Exception {
        try (GitScenario repo = shop(null)) {
            assertTrue(rules(run("analyze", "--all", "--format", "json")).contains("P004"));
            String compatible = write("c.toml", "[custom-operations]\n\"catalog.operations.CreateTrigger\" = \"compatible\"\n");
            assertFalse(rules(run("analyze", "--all", "--format", "json", "--config", compatible)).contains("P004"));
            String downtime = write("d.toml", "[custom-operations]\n\"CreateTrigger\" = \"downtime\"\n");
            Run r = run("analyze", "--all", "--format", "json", "--config", downtime);
            JsonNode p004 = null;
            for (JsonNode f : new ObjectMapper().readTree(r.out()).get("findings")) {
                p004 = f.get("rule").asText().equals("P004") ? f : p004;
            }
            assertEquals("error", p004.get("severity").asText());
            assertEquals("downtime", p004.get("class").asText());
        }
    }

    // --- every kind of mistake: exit 2, one sentence naming the file, the key and the closest valid word

    private Run worktreeConfig(String toml) {
        try {
            Files.writeString(dir.resolve(".migsafe.toml"), toml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return run("analyze", "--worktree");
    }

    @Test
    void everyKindOfMistakeIsExitTwoWithOneSentence() {
        try (GitScenario repo = shop(null)) {
            assertConfigError(worktreeConfig("fail_on = \"never\"\n"), ".migsafe.toml: unknown key 'fail_on'; did you mean 'fail-on'?");
            assertConfigError(worktreeConfig("disable = \"C101\"\n"),
                    ".migsafe.toml: 'disable' must be an array of strings, e.g. [\"C199\", \"L209\"], not the string \"C101\"");
            assertConfigError(worktreeConfig("disable = [\"C1O1\"]\n"), ".migsafe.toml: 'disable' names no rule 'C1O1'; did you mean 'C101'?");
            assertConfigError(worktreeConfig("[severity]\nL2O9 = \"info\"\n"), ".migsafe.toml: 'severity' names no rule 'L2O9'; did you mean 'L209'?");
            assertConfigError(worktreeConfig("[severity]\nC101 = \"warn\"\n"),
                    ".migsafe.toml: 'severity.C101' must be error, warning or info, not 'warn'; did you mean 'warning'?");
            assertConfigError(worktreeConfig("database = \"postgre\"\n"),
                    ".migsafe.toml: 'database' must be postgresql, mysql or sqlite, not 'postgre'; did you mean 'postgresql'?");
            assertConfigError(worktreeConfig("django = \"5.x\"\n"), ".migsafe.toml: 'django' must be a Django version such as \"5.1\", not '5.x'");
            assertConfigError(worktreeConfig("[custom-operations]\n\"pgtrigger.AddTrigger\" = \"safe\"\n"),
                    ".migsafe.toml: 'custom-operations.\"pgtrigger.AddTrigger\"' must be compatible, review, two-phase or downtime, not 'safe'");
            assertConfigError(worktreeConfig("fail-on = \"errors\"\n"),
                    ".migsafe.toml: 'fail-on' must be error, warning or never, not 'errors'; did you mean 'error'?");
            assertConfigError(worktreeConfig("exclude = [\"[legacy\"]\n"),
                    ".migsafe.toml: 'exclude' has a pattern that is not a glob, '[legacy': '[' at position 1 is never closed");
            assertConfigError(worktreeConfig("fail-on = [\n"), ".migsafe.toml is not valid TOML: premature end of file (line 2, column 1)");
        }
    }

    @Test
    void postgresqlAndLockTimeoutAreCheckedAndAValidOneChangesNoExitCode() {
        try (GitScenario repo = shop("postgresql = \"9.5\"\n")) {
            assertConfigError(run("analyze", "main...feature"), ".migsafe.toml: 'postgresql' must be a PostgreSQL release "
                    + "from 9.6 to 19, such as \"16\", not '9.5'; did you mean '9.6'?");
            repo.write(".migsafe.toml", "postgresql = 16\nlock-timeout = \"2 seconds\"\n").commit("typo");
            assertConfigError(run("analyze", "main...feature"), ".migsafe.toml: 'lock-timeout' must be a duration as PostgreSQL "
                    + "writes it, such as \"2s\", \"500ms\" or \"1min\" (\"0\" for none), not '2 seconds'; did you mean '2s'?");
            repo.write(".migsafe.toml", "postgresql = 16\nlock-timeout = \"2s\"\nfail-on = \"never\"\n").commit("fixed");
            assertEquals(0, run("analyze", "main...feature").code());
        }
    }

    @Test
    void aBrokenConfigurationStopsGraphDivergenceRewindAndHistoryToo() {
        try (GitScenario repo = shop("[swappable]\nAUTH_USER_MODEL = \"User\"\n")) {
            String message = ".migsafe.toml: 'swappable.AUTH_USER_MODEL' must name a model as \"app_label.ModelName\", not 'User'";
            assertConfigError(run("graph", "feature"), message);
            assertConfigError(run("divergence", "feature", "main"), message);
            assertConfigError(run("rewind", "feature", "main"), message);
            assertConfigError(run("history", "feature"), message);
            assertEquals(0, run("graph", "main").code(), "main has no configuration");
        }
    }

    /** A configuration file outside the repositories. */
    private String write(String name, String text) {
        try {
            Path p = temp.resolve("config-files").resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
