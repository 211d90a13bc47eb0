package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migsafe.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the hostile-input tests share: migsafe run in this JVM, git run as a process with its own
 * HOME and no system config, and the special files a repository can hold, made at test time
 * (a test that needs what this system cannot make is skipped, not failed).
 */
final class Hostile {

    private Hostile() {}

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** migsafe's command line, in this JVM. */
    static Run migsafe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** A process in {@code dir}, with its own HOME and no system or user git config. */
    static Run process(Path dir, Path home, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("NO_COLOR", "1");
        env.put("MIGSAFE_DAEMON", "off");
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output, "");
    }

    static Run git(Path dir, Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false", "-c", "user.name=Test",
                "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        return process(dir, home, command);
    }

    /** Skips the test where git is not installed. */
    static void assumeGit(Path home) throws IOException, InterruptedException {
        boolean present;
        try {
            present = process(home, home, List.of("git", "--version")).code() == 0;
        } catch (IOException e) {
            present = false;
        }
        assumeTrue(present, "git is not installed");
    }

    /** A named pipe at {@code path}: opening it for reading waits for a writer forever. */
    static void fifo(Path path) throws IOException, InterruptedException {
        Files.createDirectories(path.getParent());
        int code;
        try {
            code = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            code = -1;
        }
        assumeTrue(code == 0 && Files.exists(path), "mkfifo is not available here");
    }

    /** A sparse file of {@code size} bytes (no disk space used), where the file system allows. */
    static void sparse(Path path, long size) throws IOException {
        Files.createDirectories(path.getParent());
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** A symbolic link, where the file system allows. */
    static void link(Path link, String target) throws IOException {
        Files.createDirectories(link.getParent());
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not available here: " + e.getMessage());
        }
    }
}
