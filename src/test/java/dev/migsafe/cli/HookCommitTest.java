package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed pre-commit hook under a real `git commit`: git runs the hook, the hook runs
 * migsafe, and migsafe's exit code decides. Every process gets its own HOME and no system git
 * config, so the developer's git settings (hooksPath, signing, templates) play no part.
 *
 * migsafe runs here as `java -cp <this test's class path> dev.migsafe.cli.Main`: `hook install`
 * started that way writes exactly that command into the hook (as it does for `java -jar`), so
 * the test needs no packaged jar and exercises the same code the launcher would start.
 */
class HookCommitTest {

    @TempDir
    Path repo;

    @TempDir
    Path home;

    private static final String REMOVE_NOTES = """
            from django.db import migrations


            class Migration(migrations.Migration):

                dependencies = [
                    ("orders", "0007_delete_ordernote"),
                ]

                operations = [
                    migrations.RemoveField(model_name="order", name="notes"),
                ]
            """;

    private static final String ADD_NOTE = """
            from django.db import migrations, models


            class Migration(migrations.Migration):

                dependencies = [
                    ("orders", "0007_delete_ordernote"),
                ]

                operations = [
                    migrations.AddField(model_name="order", name="gift_note", field=models.TextField(null=True)),
                ]
            """;

    private static final String NEW_MIGRATION = "shop/orders/migrations/0008_order_notes.py";

    record Result(int code, String output) {}

    private Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("NO_COLOR", "1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    private Result git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        return run(command);
    }

    private Result migsafe(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return run(command);
    }

    private int commits() throws IOException, InterruptedException {
        return Integer.parseInt(git("rev-list", "--count", "HEAD").output().trim());
    }

    private void write(String path, String content) throws IOException {
        Files.writeString(repo.resolve(path), content);
    }

    @Test
    void theHookRefusesACommitWithATwoPhaseMigrationAndLetsTheFixThrough() throws Exception {
        try (GitScenario scenario = GitScenario.create(repo)) {
            scenario.copy("shop", "shop");
        }
        git("config", "user.name", "Hook Test");
        git("config", "user.email", "hook@example.com");
        git("add", ".");
        assertEquals(0, git("commit", "-q", "-m", "shop project").code());

        Result install = migsafe("hook", "install");
        assertEquals(0, install.code(), install.output());
        Path hook = repo.resolve(".git/hooks/pre-commit");
        assertTrue(Files.isExecutable(hook));
        assertTrue(Files.readString(hook).contains(HookCommand.MARKER));

        // A staged migration that drops a column old code still reads: refused, with the finding.
        write(NEW_MIGRATION, REMOVE_NOTES);
        git("add", NEW_MIGRATION);
        Result refused = git("commit", "-m", "drop notes");
        assertNotEquals(0, refused.code(), refused.output());
        assertTrue(refused.output().contains("error C102 RemoveField orders.Order.notes"), refused.output());
        assertEquals(1, commits());

        // Fixed: the commit goes through.
        write(NEW_MIGRATION, ADD_NOTE);
        git("add", NEW_MIGRATION);
        Result accepted = git("commit", "-m", "gift note");
        assertEquals(0, accepted.code(), accepted.output());
        assertTrue(accepted.output().contains("1 compatible"), accepted.output());
        assertEquals(2, commits());

        // `git commit -a` stages into a temporary index (GIT_INDEX_FILE): the hook must read that
        // one. The change is only there, not in .git/index: editing the shipped migration is G005.
        write(NEW_MIGRATION, REMOVE_NOTES);
        Result all = git("commit", "-a", "-m", "edit a shipped migration");
        assertNotEquals(0, all.code(), all.output());
        assertTrue(all.output().contains("error G005"), all.output());
        assertEquals(2, commits());

        // A commit -a that touches no migration passes without starting migsafe.
        git("checkout", "--", NEW_MIGRATION);
        write("shop/orders/models_note.txt", "x\n");
        git("add", "shop/orders/models_note.txt");
        write("shop/orders/models_note.txt", "y\n");
        Result other = git("commit", "-a", "-m", "not a migration");
        assertEquals(0, other.code(), other.output());
        assertEquals("", other.output().replaceAll("(?m)^\\[main [0-9a-f]+\\].*\\n|^ .*\\n", ""), other.output());
        assertEquals(3, commits());
    }

    @TempDir
    Path remote;

    @Test
    void thePrePushHookRefusesAPushThatAddsATwoPhaseMigration() throws Exception {
        try (GitScenario scenario = GitScenario.create(repo)) {
            scenario.copy("shop", "shop");
        }
        git("config", "user.name", "Hook Test");
        git("config", "user.email", "hook@example.com");
        git("add", ".");
        git("commit", "-q", "-m", "shop project");
        assertEquals(0, run(List.of("git", "init", "-q", "--bare", remote.toString())).code());
        git("remote", "add", "origin", remote.toString());
        Result first = git("push", "-q", "-u", "origin", "main");
        assertEquals(0, first.code(), first.output());

        Result install = migsafe("hook", "install", "--pre-push");
        assertEquals(0, install.code(), install.output());

        write(NEW_MIGRATION, REMOVE_NOTES);
        git("add", NEW_MIGRATION);
        git("commit", "-q", "-m", "drop notes");
        Result refused = git("push", "origin", "main");
        assertNotEquals(0, refused.code(), refused.output());
        assertTrue(refused.output().contains("error C102 RemoveField orders.Order.notes"), refused.output());
        assertTrue(refused.output().contains("origin/main"), refused.output());

        write(NEW_MIGRATION, ADD_NOTE);
        git("commit", "-q", "-a", "--amend", "-m", "gift note");
        Result accepted = git("push", "origin", "main");
        assertEquals(0, accepted.code(), accepted.output());
    }
}
