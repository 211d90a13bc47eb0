package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 15: with "." or another relative folder on PATH and the analysed repository as
 * the working directory, programs committed in that repository (a `git`, and the `sh`, `bash`,
 * `which` and `xcode-select` JGit would run on macOS) must never run, whatever the command. Each
 * command runs in a JVM of its own, whose PATH and working directory are those of the attack.
 */
@DisabledOnOs(OS.WINDOWS)
class GitExecutableTest {

    @TempDir
    Path temp;

    private static final List<String> PLANTED = List.of("git", "bin/git", "sh", "bash", "which", "xcode-select",
            "bin/sh", "bin/bash");

    private Path plant(Path repo, Path marker) throws IOException {
        String script = "#!/bin/sh\necho \"$0 $*\" >> '" + marker + "'\nexit 1\n";
        for (String name : PLANTED) {
            Path p = repo.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, script);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return repo.resolve("git");
    }

    private static final String MIGRATION = "from django.db import migrations, models\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = [%s]\n    operations = [\n        %s,\n    ]\n";

    private static void write(Path repo, String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static void commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Test", "test@example.com");
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    @Test
    void programsInTheRepositoryNeverRunThroughARelativePath() throws Exception {
        Path repo = temp.resolve("repo");
        Path home = temp.resolve("home");
        Files.createDirectories(home);
        Path marker = temp.resolve("ran");
        String orders = "shop/orders/migrations/";
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            plant(repo, marker);
            write(repo, "shop/__init__.py", "");
            write(repo, "shop/orders/__init__.py", "");
            write(repo, orders + "__init__.py", "");
            write(repo, orders + "0001_initial.py", String.format(MIGRATION, "",
                    "migrations.CreateModel(\"Order\", [(\"id\", models.AutoField(primary_key=True))])"));
            commit(git, "the project, and programs named like the system's");
            git.checkout().setCreateBranch(true).setName("feature").call();
            write(repo, orders + "0002_order_note.py", String.format(MIGRATION, "(\"orders\", \"0001_initial\")",
                    "migrations.AddField(\"order\", \"note\", models.TextField(null=True))"));
            commit(git, "a migration on a branch");
            git.checkout().setName("main").call();
            write(repo, orders + "0002_order_ref.py", String.format(MIGRATION, "(\"orders\", \"0001_initial\")",
                    "migrations.AddField(\"order\", \"ref\", models.TextField(null=True))"));
            commit(git, "another on main");
            git.checkout().setName("feature").call();
            write(repo, orders + "0003_order_paid.py", String.format(MIGRATION, "(\"orders\", \"0002_order_note\")",
                    "migrations.AddField(\"order\", \"paid\", models.BooleanField(default=False))"));
            git.add().addFilepattern(orders + "0003_order_paid.py").call(); // staged for --staged and FILE
        }
        // The planted programs do run when called: the test would see it.
        assertEquals(1, new ProcessBuilder(repo.resolve("git").toString(), "--version").start().waitFor());
        assertTrue(Files.readString(marker).contains("--version"));
        Files.delete(marker);

        List<List<String>> commands = List.of(
                List.of("analyze", "--all"),
                List.of("analyze", "main...feature"),
                List.of("analyze", "--staged"),
                List.of("analyze", orders + "0003_order_paid.py"),
                List.of("graph"),
                List.of("history"),
                List.of("divergence", "main", "feature"),
                List.of("hook", "install"));
        List<String> ran = new ArrayList<>();
        for (List<String> args : commands) {
            Result r = migsafe(repo, home, args);
            assertTrue(r.code() == 0 || r.code() == 1, args + ": " + r);
            if (Files.exists(marker)) {
                ran.add(args + " ran " + Files.readString(marker).strip());
                Files.delete(marker);
            }
        }
        assertEquals(List.of(), ran);
    }

    record Result(int code, String output) {}

    private static Result migsafe(Path repo, Path home, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("XDG_"));
        env.put("HOME", home.toString());
        env.put("NO_COLOR", "1");
        // Every relative form: ".", a folder, and the empty entry (which means ".").
        env.put("PATH", ".:bin:");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }
}
