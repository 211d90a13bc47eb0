package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard output that refuses the report (a full disk, a closed pipe) is an error of its own:
 * exit 2 and one sentence on stderr, never the exit code of a complete run, whose report the
 * reader never got.
 */
class ClosedOutputTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void repository() {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project");
        }
    }

    /** A stream that takes nothing, as a full disk does. */
    private static final class Full extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run toFullOutput(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new Full()), new PrintWriter(err));
        return new Run(code, "", err.toString());
    }

    @Test
    void aReportThatCannotBeWrittenIsExitTwoWithOneSentence() {
        for (String[] args : List.of(new String[] {"analyze", "--repo=" + dir, "--all"},
                new String[] {"analyze", "--repo=" + dir, "--all", "--fail-on", "never", "--format", "json"},
                new String[] {"parse", dir.resolve("shop/orders/migrations").toString()},
                new String[] {"graph", "--repo", dir.toString()},
                new String[] {"rules"},
                new String[] {"--help"})) {
            Run run = toFullOutput(args);
            String line = String.join(" ", args);
            assertEquals(2, run.code(), line);
            assertEquals("migsafe: cannot write to standard output: the write failed\n", run.err(), line);
        }
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static Run process(List<String> command, File stdout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("MIGSAFE_") || k.endsWith("JAVA_OPTIONS"));
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.redirectOutput(stdout);
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(p.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aFullDiskUnderStandardOutputIsNamed() throws Exception {
        File full = new File("/dev/full");
        Assumptions.assumeTrue(full.exists(), "no /dev/full here");
        for (String[] args : List.of(new String[] {"analyze", "--all"},
                new String[] {"parse", "shop/orders/migrations"})) {
            Run run = process(java(args), full);
            assertEquals(2, run.code(), String.join(" ", args) + ": " + run.err());
            assertEquals("migsafe: cannot write to standard output: No space left on device\n", run.err());
        }
        // What goes to --output is not standard output: the run is a normal one.
        Run toFile = process(java("analyze", "--all", "--output", dir.resolve("report.txt").toString()), full);
        assertEquals(1, toFile.code(), toFile.err());
        assertEquals("", toFile.err());
    }

    @Test
    void theResidentProcessClientNamesItToo() throws Exception {
        File full = new File("/dev/full");
        Assumptions.assumeTrue(full.exists(), "no /dev/full here");
        Path client = Path.of("packaging/python/django_migsafe/daemon_client.py").toAbsolutePath();
        ResidentServer.Serving serving = ResidentServer.serve(dir, dir.resolve("run"));
        try {
            // A fallback that only says it ran: a client that gave up would run it.
            Path fallback = dir.resolve("fallback.sh");
            Files.writeString(fallback, "#!/bin/sh\necho fallback >&2\nexit 7\n");
            assertTrue(fallback.toFile().setExecutable(true));
            List<String> command = List.of("python3", "-S", client.toString(), "--fallback", fallback.toString(),
                    serving.jar().toString(), "analyze", "--all");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(serving.env());
            pb.redirectOutput(full);
            Path err = dir.resolve("client-stderr.txt");
            pb.redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                Assumptions.abort("no python3: " + e.getMessage());
                return;
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals("migsafe: cannot write to standard output: No space left on device\n", stderr);
            assertEquals(2, p.exitValue());
            assertEquals(1, serving.served(), "answered by the resident process, not run again");
        } finally {
            serving.close();
        }
    }
}
