package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project whose migrations are not below a `migrations/` folder (`include` in the
 * configuration, or MIGRATION_MODULES in the settings) gets the same protection before a commit
 * as any other: `--staged`, `analyze FILE` and the installed hook all see its migrations, and
 * `exclude` keeps a named file out.
 */
class CustomIncludeTest {

    @TempDir
    Path dir;

    @TempDir
    Path home;

    private static final String LEDGER = "shop/ledger/db_migrations/";

    private static final String INITIAL = """
            from django.db import migrations, models


            class Migration(migrations.Migration):

                initial = True

                dependencies = []

                operations = [
                    migrations.CreateModel(
                        name="Entry",
                        fields=[
                            ("id", models.BigAutoField(primary_key=True)),
                            ("memo", models.TextField(null=True)),
                        ],
                    ),
                ]
            """;

    /** Drops a column the deployed code still reads: C102, an error. */
    private static final String REMOVE_MEMO = """
            from django.db import migrations


            class Migration(migrations.Migration):

                dependencies = [("ledger", "0001_initial")]

                operations = [
                    migrations.RemoveField(model_name="entry", name="memo"),
                ]
            """;

    private static final String FINDING = "error C102 RemoveField ledger.Entry.memo";

    private static final String INCLUDE = """
            include = ["**/migrations/**/*.py", "shop/ledger/db_migrations/*.py"]

            [app-labels]
            "shop/ledger/db_migrations" = "ledger"
            """;

    private static final String SETTINGS = """
            INSTALLED_APPS = ["shop.orders", "shop.ledger"]
            MIGRATION_MODULES = {"ledger": "shop.ledger.db_migrations"}
            """;

    /** The shop fixture and a ledger app whose migrations live in db_migrations/, committed. */
    private void ledger(String path, String content) {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop")
                    .write("shop/ledger/__init__.py", "")
                    .write(LEDGER + "__init__.py", "")
                    .write(LEDGER + "0001_initial.py", INITIAL)
                    .write(path, content)
                    .commit("shop with a ledger");
        }
    }

    private void stageRemoveMemo() throws Exception {
        Files.writeString(dir.resolve(LEDGER + "0002_remove_memo.py"), REMOVE_MEMO);
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(dir.toFile())) {
            git.add().addFilepattern(LEDGER + "0002_remove_memo.py").call();
        }
    }

    @Test
    void stagedSeesMigrationsAConfiguredIncludeSelects() throws Exception {
        ledger(".migsafe.toml", INCLUDE);
        stageRemoveMemo();
        Hostile.Run run = Hostile.migsafe("analyze", "--repo=" + dir, "--staged");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(FINDING), run.all());
    }

    @Test
    void stagedSeesMigrationsTheSettingsMove() throws Exception {
        ledger("shop/settings.py", SETTINGS);
        stageRemoveMemo();
        Hostile.Run run = Hostile.migsafe("analyze", "--repo=" + dir, "--staged");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(FINDING), run.all());
    }

    @Test
    void aNamedFileIsAMigrationWhenTheConfigurationSaysSo() throws Exception {
        ledger(".migsafe.toml", INCLUDE);
        stageRemoveMemo();
        Hostile.Run run = Hostile.migsafe("analyze", "--repo=" + dir, dir.resolve(LEDGER + "0002_remove_memo.py").toString());
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains(FINDING), run.all());
    }

    @Test
    void anExcludedNamedFileIsSkipped() throws Exception {
        ledger(".migsafe.toml", "exclude = [\"shop/orders/migrations/0008_*.py\"]\n");
        String file = "shop/orders/migrations/0008_remove_notes.py";
        Files.writeString(dir.resolve(file), """
                from django.db import migrations


                class Migration(migrations.Migration):

                    dependencies = [("orders", "0007_delete_ordernote")]

                    operations = [
                        migrations.RemoveField(model_name="order", name="notes"),
                    ]
                """);
        Hostile.Run run = Hostile.migsafe("analyze", "--repo=" + dir, dir.resolve(file).toString());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("0 migrations changed"), run.all());
    }

    private Hostile.Run javaMain(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return Hostile.process(dir, home, command);
    }

    private void hookRefusesTheCommit(String configPath, String config) throws Exception {
        Hostile.assumeGit(home);
        ledger(configPath, config);
        Hostile.Run install = javaMain("hook", "install");
        assertEquals(0, install.code(), install.out());

        // A commit of files that are no Python files still never starts migsafe.
        Files.writeString(dir.resolve("README.txt"), "the shop\n");
        Hostile.git(dir, home, "add", "README.txt");
        Hostile.Run quiet = Hostile.git(dir, home, "commit", "-m", "readme");
        assertEquals(0, quiet.code(), quiet.out());
        assertFalse(quiet.out().contains("migsafe analyze"), quiet.out());

        stageRemoveMemo();
        Hostile.Run refused = Hostile.git(dir, home, "commit", "-m", "drop the memo");
        assertNotEquals(0, refused.code(), refused.out());
        assertTrue(refused.out().contains(FINDING), refused.out());
    }

    @Test
    void theInstalledHookRunsForMigrationsAnIncludeSelects() throws Exception {
        hookRefusesTheCommit(".migsafe.toml", INCLUDE);
    }

    @Test
    void theInstalledHookRunsForAnIncludeInPyproject() throws Exception {
        hookRefusesTheCommit("pyproject.toml", "[tool.poetry]\nname = \"shop\"\n\n[tool.migsafe]\n" + INCLUDE.replace(
                "[app-labels]", "[tool.migsafe.app-labels]"));
    }

    @Test
    void theInstalledHookRunsForMigrationsTheSettingsMove() throws Exception {
        hookRefusesTheCommit("shop/settings.py", SETTINGS);
    }

    @Test
    void inAProjectWithTheDefaultLayoutAPythonCommitStillNeverStartsMigsafe() throws Exception {
        Hostile.assumeGit(home);
        ledger("pyproject.toml", "[tool.poetry]\nname = \"shop\"\ninclude = [\"CHANGES.md\"]\n");
        Hostile.Run install = javaMain("hook", "install");
        assertEquals(0, install.code(), install.out());
        // The ledger's db_migrations/ folder is no migrations folder here: this commit is no migration's.
        stageRemoveMemo();
        Files.writeString(dir.resolve("shop/ledger/models.py"), "MODELS = []\n");
        Hostile.git(dir, home, "add", "shop/ledger/models.py");
        Hostile.Run commit = Hostile.git(dir, home, "commit", "-m", "models");
        assertEquals(0, commit.code(), commit.out());
        assertFalse(commit.out().contains("migsafe analyze"), commit.out());
    }
}
