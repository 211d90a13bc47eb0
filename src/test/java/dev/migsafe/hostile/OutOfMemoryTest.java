package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import dev.migsafe.daemon.Client;
import dev.migsafe.daemon.Identity;
import dev.migsafe.daemon.Protocol;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of Java heap is exit 2 and one sentence that says how to raise the limit, not the
 * JVM's trace and exit 1 (the code of "findings", even under --fail-on never). The heap is made
 * small in a JVM of its own, and the input large but under the size limit: a migration of 15 MB.
 */
class OutOfMemoryTest {

    private static final String BIG = "shop/orders/migrations/0008_many_statements.py";

    @TempDir
    static Path dir;

    @BeforeAll
    static void repository() throws Exception {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop");
            Path big = dir.resolve(BIG);
            try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
                w.write("from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n"
                        + "    dependencies = [(\"orders\", \"0007_delete_ordernote\")]\n\n    operations = [\n");
                for (int i = 0; Files.size(big) < 15_000_000 && i < 1_000_000; i++) {
                    w.write("        migrations.RunSQL(\"UPDATE orders_order SET total = " + i + "\", migrations.RunSQL.noop),\n");
                    if (i % 10_000 == 0) {
                        w.flush();
                    }
                }
                w.write("    ]\n");
            }
            repo.commit("a migration of many statements");
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run smallHeap(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("MIGSAFE_") || k.endsWith("JAVA_OPTIONS"));
        pb.environment().put("HOME", dir.resolve("home").toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void assertOutOfMemory(Run run, String command) {
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("migsafe: out of memory while running `" + command + "` (a Java heap of "), run.err());
        assertTrue(run.err().contains("; raise the limit with MIGSAFE_JAVA_OPTS=-Xmx1g (read by the migsafe launchers) "
                + "or JAVA_TOOL_OPTIONS=-Xmx1g"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void parsingAFileTooLargeForTheHeapSaysHowToRaiseIt() throws Exception {
        assertTrue(Files.size(dir.resolve(BIG)) < 16_000_000, "under the size limit: it is read");
        assertOutOfMemory(smallHeap("parse", BIG), "migsafe parse");
    }

    @Test
    void anAnalysisThatRunsOutOfMemoryIsNotAVerdict() throws Exception {
        Run run = smallHeap("analyze", "--all", "--fail-on", "never");
        assertOutOfMemory(run, "migsafe analyze");
        assertEquals("", run.out());
    }

    @Test
    void theResidentProcessRefusesAndLeavesSoThatTheClientRunsItself() throws Exception {
        ResidentServer.Serving serving = ResidentServer.serve(dir, dir.resolve("run"), (args, out, err, context) -> {
            throw new OutOfMemoryError("Java heap space");
        });
        try {
            List<Protocol.Frame> frames = Client.call(serving.socket(), Protocol.request(Protocol.RUN,
                    Identity.of(serving.jar()), dir.toString(), List.of("analyze", "--all"), serving.env()));
            assertEquals(1, frames.size(), "nothing of the run is passed on");
            assertEquals(Protocol.REFUSED, frames.get(0).type());
            assertTrue(frames.get(0).text().contains("OutOfMemoryError"), frames.get(0).text());
            serving.thread().join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(serving.thread().isAlive(), "a process that ran out of memory leaves");
        } finally {
            serving.close();
        }
    }
}
