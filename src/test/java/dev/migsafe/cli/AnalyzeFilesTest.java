package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `analyze FILE...` as the pre-commit framework calls it, and --staged on a repository's first commit. */
class AnalyzeFilesTest {

    @TempDir
    Path dir;

    private static final String ORDERS = "shop/orders/migrations/";

    private static String migration(String name, String operation) {
        return "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n"
                + "    dependencies = [(\"orders\", \"" + name + "\")]\n\n"
                + "    operations = [\n        " + operation + ",\n    ]\n";
    }

    private static final String REMOVE_NOTES = migration("0007_delete_ordernote",
            "migrations.RemoveField(model_name=\"order\", name=\"notes\")");
    private static final String ADD_NOTE = migration("0007_delete_ordernote",
            "migrations.AddField(model_name=\"order\", name=\"gift_note\", field=models.TextField(null=True))");

    record Run(int code, String out, String err) {}

    private Run analyze(String... operands) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[operands.length + 2];
        args[0] = "analyze";
        args[1] = "--repo=" + dir;
        for (int i = 0; i < operands.length; i++) {
            // As pre-commit passes them: relative to the repository root, which is its working directory.
            args[i + 2] = operands[i].startsWith("/") ? operands[i] : dir.resolve(operands[i]).toString();
        }
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private GitScenario shop() {
        return GitScenario.create(dir).copy("shop", "shop").commit("shop project");
    }

    private void stage(String path) throws Exception {
        try (Git git = Git.open(dir.toFile())) {
            git.add().addFilepattern(path).call();
        }
    }

    @Test
    void theNamedStagedMigrationIsAnalysed() throws Exception {
        try (GitScenario repo = shop()) {
            repo.write(ORDERS + "0008_remove_notes.py", REMOVE_NOTES);
        }
        stage(ORDERS + "0008_remove_notes.py");
        Run run = analyze(ORDERS + "0008_remove_notes.py", "shop/catalog/apps.py");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.out().startsWith("migsafe analyze: HEAD "), run.out());
        assertTrue(run.out().contains("-> the index\n"), run.out());
        assertTrue(run.out().contains("error C102"), run.out());
    }

    @Test
    void aNamedFileIsReadFromDiskOnTopOfTheIndex() throws Exception {
        try (GitScenario repo = shop()) {
            repo.write(ORDERS + "0008_remove_notes.py", REMOVE_NOTES);
        }
        stage(ORDERS + "0008_remove_notes.py");
        // Fixed on disk but not staged: the named file is taken as it is on disk.
        Files.writeString(dir.resolve(ORDERS + "0008_remove_notes.py"), ADD_NOTE);
        Run fixed = analyze(ORDERS + "0008_remove_notes.py");
        assertEquals(0, fixed.code(), fixed.out());
        assertTrue(fixed.out().contains("-> the index and the named files\n"), fixed.out());
        assertTrue(fixed.out().contains("AddField orders.order.gift_note - compatible"), fixed.out());

        // An untracked file works too, and only named files are analysed.
        Files.writeString(dir.resolve(ORDERS + "0009_remove_notes.py"),
                REMOVE_NOTES.replace("0007_delete_ordernote", "0008_remove_notes"));
        Run untracked = analyze(ORDERS + "0009_remove_notes.py");
        assertEquals(1, untracked.code(), untracked.out());
        assertTrue(untracked.out().contains("orders.0009_remove_notes  (added)"), untracked.out());
        assertTrue(!untracked.out().contains("orders.0008_remove_notes  (added)"), untracked.out());
    }

    @Test
    void namedFilesThatHeadAlreadyHasOrThatAreNoMigrationsReportNothing() {
        shop().close();
        Run run = analyze(ORDERS + "0006_order_drop_placed_at.py", "shop/catalog/apps.py", ORDERS + "__init__.py");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("0 migrations changed"), run.out());
    }

    @Test
    void badOperandsAreUsageErrors() throws Exception {
        shop().close();
        Run missing = analyze(ORDERS + "0099_missing.py");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file: "), missing.err());

        Path outside = Files.createTempFile("outside", ".py");
        try {
            Run elsewhere = analyze(outside.toString());
            assertEquals(2, elsewhere.code());
            assertTrue(elsewhere.err().contains("is outside the repository's work tree"), elsewhere.err());
        } finally {
            Files.delete(outside);
        }

        Run mixed = analyze("main", ORDERS + "0001_initial.py");
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("give one RANGE, or migration files"), mixed.err());

        StringWriter err = new StringWriter();
        int both = Main.run(new String[] {"analyze", "--repo=" + dir, "--staged", dir.resolve(ORDERS + "0001_initial.py").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, both);
        assertTrue(err.toString().contains("not both"), err.toString());
    }

    @Test
    void theFirstCommitOfAProjectIsAnalysedAgainstNothing() throws Exception {
        GitScenario.create(dir).copy("shop", "shop").close();
        stage(".");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"analyze", "--repo=" + dir, "--staged"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals("", err.toString());
        assertTrue(out.toString().startsWith("migsafe analyze: HEAD (no commit yet) -> the index\n"), out.toString());
        assertTrue(code == 0 || code == 1, "exit " + code);
        assertTrue(out.toString().contains("orders.0001_initial  (added)"), out.toString());
    }
}
