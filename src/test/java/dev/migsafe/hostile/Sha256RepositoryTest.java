package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 11: a repository whose objects are named by SHA-256 is refused in one sentence
 * (exit 2) by every command that opens it, instead of "Missing unknown <id>".
 */
class Sha256RepositoryTest {

    @TempDir
    Path dir;

    private static final String SENTENCE = "migsafe: this repository uses SHA-256 object names, which migsafe does not support yet";

    private static final List<List<String>> COMMANDS = List.of(List.of("analyze", "--all"), List.of("analyze", "--staged"),
            List.of("graph"), List.of("history"), List.of("divergence", "main", "main"), List.of("hook", "install"));

    private static void assertRefused(CommitBuilderRepo repo) {
        for (List<String> args : COMMANDS) {
            CommitBuilderRepo.Run run = repo.migsafe(args.toArray(String[]::new));
            assertEquals(2, run.code(), args + "\n" + run);
            assertEquals(SENTENCE, run.err().strip(), args + "\n" + run);
        }
    }

    /** The configuration decides: git names objects as extensions.objectFormat says. */
    @Test
    void aRepositoryConfiguredForSha256IsRefused() throws Exception {
        try (CommitBuilderRepo repo = CommitBuilderRepo.create(dir)) {
            repo.commit("main", Map.of("app/migrations/0001_initial.py", repo.file("")));
            StoredConfig config = repo.repository().getConfig();
            config.setInt("core", null, "repositoryformatversion", 1);
            config.setString("extensions", null, "objectFormat", "sha256");
            config.save();
            assertRefused(repo);
            // The hook was not written.
            assertEquals(false, Files.exists(dir.resolve(".git/hooks/pre-commit")));
        }
    }

    /** One that git itself made, when the git on this machine can (2.29 and later). */
    @Test
    void aRepositoryGitMadeWithSha256IsRefused() throws Exception {
        Path repoDir = dir.resolve("repo");
        assumeTrue(git(dir, "init", "--quiet", "--object-format=sha256", "-b", "main", repoDir.toString()) == 0,
                "git with SHA-256 support");
        Files.createDirectories(repoDir.resolve("app/migrations"));
        Files.writeString(repoDir.resolve("app/migrations/0001_initial.py"), "");
        assumeTrue(git(repoDir, "add", ".") == 0);
        assumeTrue(git(repoDir, "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                "commit", "--quiet", "-m", "one") == 0);
        try (CommitBuilderRepo repo = CommitBuilderRepo.open(repoDir)) {
            assertRefused(repo);
        }
    }

    private static int git(Path cwd, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", cwd.toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                System.err.println("git " + args[0] + ": " + out);
            }
            return code;
        } catch (IOException e) {
            return -1; // no git here
        }
    }
}
