package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 5: a partial or damaged clone, and entries of a tree that are no files (a
 * submodule or a link named like a migration). A missing or undecodable object is one sentence on
 * the file it belongs to, and every command goes on with the other files; submodules are skipped.
 */
class DamagedRepositoryTest {

    @TempDir
    Path dir;

    private static final String MIGRATIONS = "shop/orders/migrations/";
    private static final String INITIAL = MIGRATIONS + "0001_initial.py";
    private static final String NOTE = MIGRATIONS + "0002_order_note.py";
    private static final String PAID = MIGRATIONS + "0003_order_paid.py";

    private static String migration(String dependency, String operation) {
        return "from django.db import migrations, models\n\n\n"
                + "class Migration(migrations.Migration):\n"
                + "    dependencies = [" + (dependency == null ? "" : "(\"orders\", \"" + dependency + "\")") + "]\n"
                + "    operations = [\n        " + operation + ",\n    ]\n";
    }

    private static final String CREATE = "migrations.CreateModel(\"Order\", [(\"id\", models.AutoField(primary_key=True))])";

    /** shop/orders with 0001 and 0002 on main. */
    private Map<String, CommitBuilderRepo.Entry> mainFiles(CommitBuilderRepo repo) throws Exception {
        Map<String, CommitBuilderRepo.Entry> files = new HashMap<>();
        files.put("shop/__init__.py", repo.file(""));
        files.put("shop/orders/__init__.py", repo.file(""));
        files.put(MIGRATIONS + "__init__.py", repo.file(""));
        files.put(INITIAL, repo.file(migration(null, CREATE)));
        files.put(NOTE, repo.file(migration("0001_initial",
                "migrations.AddField(\"order\", \"note\", models.TextField(null=True))")));
        return files;
    }

    private static String missing(ObjectId id, String path) {
        return "the object " + id.name() + " of " + path + " is missing (a damaged clone)";
    }

    private static void assertReported(CommitBuilderRepo.Run run, String... sentences) {
        assertEquals(1, run.code(), run.toString());
        assertFalse(run.err().contains("internal error"), run.toString());
        for (String s : sentences) {
            assertTrue(run.out().contains("P006") && run.out().contains(s), s + "\n" + run);
        }
    }

    @Test
    void aMissingMigrationIsOneFindingAndTheOtherFilesAreAnalysed() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            Map<String, CommitBuilderRepo.Entry> files = mainFiles(repo);
            files.put(PAID, repo.file(migration("0002_order_note",
                    "migrations.AddField(\"order\", \"paid\", models.BooleanField())")));
            RevCommit c = repo.commit("main", files);
            ObjectId note = repo.objectAt(c, NOTE);
            repo.delete(note);

            CommitBuilderRepo.Run run = repo.migsafe("analyze", "--all");
            assertReported(run, missing(note, NOTE));
            // The others are read and judged: 0003's NOT NULL column without a default is an error.
            assertTrue(run.out().contains("orders.0001_initial"), run.toString());
            assertTrue(run.out().contains("orders.0003_order_paid"), run.toString());
            assertTrue(run.out().contains(PAID + ":"), run.toString());
        }
    }

    /**
     * The same damage through every command that reads files: the base of a range (a file a
     * branch edits), a file the branch adds, history and divergence.
     */
    @Test
    void everyCommandReportsTheMissingFilesAndGoesOn() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            Map<String, CommitBuilderRepo.Entry> files = mainFiles(repo);
            RevCommit main = repo.commit("main", files);
            ObjectId oldNote = repo.objectAt(main, NOTE);
            files.put(NOTE, repo.file(migration("0001_initial",
                    "migrations.AddField(\"order\", \"note\", models.TextField(null=True, blank=True))")));
            files.put(PAID, repo.file(migration("0002_order_note",
                    "migrations.AddField(\"order\", \"paid\", models.BooleanField(default=False))")));
            RevCommit feature = repo.commit("feature", files, main);
            repo.checkout("feature");
            // main moves on too, so that divergence has two sides to compare.
            Map<String, CommitBuilderRepo.Entry> onMain = mainFiles(repo);
            onMain.put(NOTE, new CommitBuilderRepo.Entry(org.eclipse.jgit.lib.FileMode.REGULAR_FILE, oldNote));
            onMain.put(MIGRATIONS + "0003_order_ref.py", repo.file(migration("0002_order_note",
                    "migrations.AddField(\"order\", \"ref\", models.TextField(null=True))")));
            repo.commit("main", onMain, main);
            ObjectId paid = repo.objectAt(feature, PAID);
            repo.delete(oldNote);
            repo.delete(paid);

            assertReported(repo.migsafe("analyze", "--all"), missing(paid, PAID));
            assertReported(repo.migsafe("analyze", "main...feature"), missing(oldNote, NOTE), missing(paid, PAID));
            assertReported(repo.migsafe("analyze", "main...feature", "--format", "json"), missing(oldNote, NOTE));
            assertReported(repo.migsafe("analyze", "main..feature"), missing(oldNote, NOTE), missing(paid, PAID));
            assertReported(repo.migsafe("graph", "feature"), missing(paid, PAID));
            assertReported(repo.migsafe("graph", "main", "--format", "json"), missing(oldNote, NOTE));
            assertReported(repo.migsafe("divergence", "main", "feature"), missing(oldNote, NOTE), missing(paid, PAID));
            CommitBuilderRepo.Run history = repo.migsafe("history", "feature");
            assertEquals(1, history.code(), history.toString());
            assertTrue(history.out().contains(missing(oldNote, NOTE)), history.toString());
            assertTrue(history.out().contains("edits of shipped migrations"), history.toString());
        }
    }

    /** An app's apps.py is read for its label: missing, the app is labelled by its folder, and that is said. */
    @Test
    void aMissingAppsPyIsSaidInEveryFormat() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            Map<String, CommitBuilderRepo.Entry> files = mainFiles(repo);
            files.put("shop/orders/apps.py", repo.file("from django.apps import AppConfig\n\n\n"
                    + "class OrdersConfig(AppConfig):\n    name = \"shop.orders\"\n    label = \"shop_orders\"\n"));
            RevCommit c = repo.commit("main", files);
            ObjectId apps = repo.objectAt(c, "shop/orders/apps.py");
            repo.delete(apps);
            for (String format : List.of("text", "json", "sarif", "github", "markdown", "gitlab")) {
                assertReported(repo.migsafe("analyze", "--all", "--format", format), missing(apps, "shop/orders/apps.py"));
            }
            assertReported(repo.migsafe("analyze", "--all"), "the app's label is taken from its folder's name");
        }
    }

    @Test
    void aPartialCloneSaysHowToFetchTheObject() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            RevCommit c = repo.commit("main", mainFiles(repo));
            ObjectId note = repo.objectAt(c, NOTE);
            repo.delete(note);
            repo.markPartial();
            assertReported(repo.migsafe("analyze", "--all"), "the object " + note.name() + " of " + NOTE
                    + " is missing (a partial clone): fetch it with `git cat-file -p " + note.name() + "`");
        }
    }

    @Test
    void aGarbledObjectIsOneFindingToo() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            RevCommit c = repo.commit("main", mainFiles(repo));
            ObjectId note = repo.objectAt(c, NOTE);
            repo.garble(note);
            CommitBuilderRepo.Run run = repo.migsafe("analyze", "--all");
            assertReported(run, "the object " + note.name() + " of " + NOTE);
            assertTrue(run.out().contains("orders.0001_initial"), run.toString());
        }
    }

    /** Without a folder's tree no file below it can be listed: one sentence that names it, exit 2. */
    @Test
    void aMissingFolderIsOneSentence() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            RevCommit c = repo.commit("main", mainFiles(repo));
            ObjectId folder = repo.objectAt(c, "shop/orders/migrations");
            repo.delete(folder);
            for (List<String> args : List.of(List.of("analyze", "--all"), List.of("graph"))) {
                CommitBuilderRepo.Run run = repo.migsafe(args.toArray(String[]::new));
                assertEquals(2, run.code(), run.toString());
                assertEquals("migsafe: the object " + folder.name() + " of the folder shop/orders/migrations/ is missing "
                        + "(a damaged clone): check it with `git fsck` and fetch it again, or clone anew", run.err().strip());
            }
        }
    }

    @Test
    void submodulesNamedLikeMigrationsAreSkipped() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            Map<String, CommitBuilderRepo.Entry> files = mainFiles(repo);
            files.put(MIGRATIONS + "0003_vendored.py", CommitBuilderRepo.submodule("1234567890abcdef1234567890abcdef12345678"));
            files.put("shop/orders/apps.py", CommitBuilderRepo.submodule("abcdefabcdefabcdefabcdefabcdefabcdefabcd"));
            files.put("vendor/lib", CommitBuilderRepo.submodule("0123456789012345678901234567890123456789"));
            repo.commit("main", files);
            for (List<String> args : List.of(List.of("analyze", "--all"), List.of("graph"))) {
                CommitBuilderRepo.Run run = repo.migsafe(args.toArray(String[]::new));
                assertEquals(0, run.code(), run.toString());
                assertFalse(run.out().contains("0003_vendored"), run.toString());
                assertTrue(run.out().contains("0002_order_note"), run.toString());
            }
            CommitBuilderRepo.Run history = repo.migsafe("history");
            assertEquals(0, history.code(), history.toString());
            assertTrue(history.out().contains(" 2 migration files"), history.toString());
            // Staged: the index holds the submodule too (read by git diff-index, or by JGit alone).
            files.put(MIGRATIONS + "0004_staged.py", CommitBuilderRepo.submodule("2234567890abcdef1234567890abcdef12345678"));
            repo.stage(files);
            CommitBuilderRepo.Run staged = repo.migsafe("analyze", "--staged");
            assertEquals(0, staged.code(), staged.toString());
            assertFalse(staged.out().contains("0004_staged"), staged.toString());
        }
    }

    /**
     * A migration committed as a link: Django would import the file it points to; migsafe does
     * not follow links in git and says so on that file, as for a missing object.
     */
    @Test
    void aLinkNamedLikeAMigrationIsReportedNotRead() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            Map<String, CommitBuilderRepo.Entry> files = mainFiles(repo);
            files.put(MIGRATIONS + "0003_linked.py", repo.link("../../../elsewhere/0003_linked.py"));
            files.put("elsewhere/0003_linked.py", repo.file(migration("0002_order_note",
                    "migrations.RemoveField(\"order\", \"note\")")));
            repo.commit("main", files);
            assertReported(repo.migsafe("analyze", "--all"),
                    MIGRATIONS + "0003_linked.py is a symbolic link in git: Django would import the file it points to");
            assertReported(repo.migsafe("graph"), MIGRATIONS + "0003_linked.py is a symbolic link in git");
            // Staged as well (git diff-index and JGit give the index's entry alike).
            repo.stage(files);
            assertReported(repo.migsafe("analyze", "--staged"), MIGRATIONS + "0003_linked.py is a symbolic link in git");
        }
    }
}
