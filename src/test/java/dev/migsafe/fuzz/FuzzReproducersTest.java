package dev.migsafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.Fixtures;
import dev.migsafe.GitScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The causes the fuzz harness found (fixtures/hostile/fuzz/README.md), each as a small input that
 * shows it: no crash, every file reported, and an answer within a bound far above what the input
 * needs once its cost is linear (the bound only turns a hang into a failure; it measures nothing).
 */
class FuzzReproducersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final int LINES = 20_000;

    @TempDir
    Path temp;

    private final BoundedCommands commands = new BoundedCommands();

    @AfterEach
    void stop() {
        commands.close();
    }

    @Test
    void everyReproducerProjectIsAnalysedAndReported() throws Exception {
        Path root = Fixtures.ROOT.resolve("hostile/fuzz");
        List<Path> projects;
        try (Stream<Path> list = Files.list(root)) {
            projects = list.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(projects.isEmpty());
        for (Path project : projects) {
            String name = project.getFileName().toString();
            try (GitScenario repo = GitScenario.create(temp.resolve(name))) {
                repo.copy("hostile/fuzz/" + name, ".").commit("reproducer");
                JsonNode report = analyzeAll(repo.dir());
                Set<String> reported = new HashSet<>();
                report.path("migrations").forEach(m -> reported.add(m.path("path").asText()));
                report.path("findings").forEach(f -> reported.add(f.path("path").asText()));
                try (Stream<Path> walk = Files.walk(project)) {
                    for (Path p : walk.filter(f -> f.toString().endsWith(".py") && !f.getFileName().toString().startsWith("_")).toList()) {
                        String path = project.relativize(p).toString().replace('\\', '/');
                        assertTrue(reported.contains(path), name + ": " + path + " is reported");
                    }
                }
            }
        }
    }

    @Test
    void aSyntaxErrorBeforeManyClassHeadersIsReportedInTime() throws Exception {
        String source = "from django.db import migrations\n\n" + "class Migration(migrations.Migration):\n".repeat(LINES);
        JsonNode record = parse(source);
        assertEquals("P001", record.path("error").path("rule").asText(), record.toString());
        assertEquals(4, record.path("error").path("line").asInt(), "the first body that is missing: " + record);
    }

    @Test
    void aBracketMismatchBeforeManyOpenCallsIsReportedInTime() throws Exception {
        String source = "g(a=[1, b=2),\n" + "f(\n".repeat(LINES);
        JsonNode record = parse(source);
        assertEquals("error", record.path("status").asText(), record.toString());
        assertEquals(1, record.path("error").path("line").asInt(), "the mismatch comes first: " + record);
    }

    @Test
    void manyOperatorDefaultsAreJudgedInTime() throws Exception {
        try (GitScenario repo = GitScenario.create(temp.resolve("defaults"))) {
            repo.write("shop/migrations/__init__.py", "")
                    .write("shop/migrations/0001_initial.py", "from django.db import migrations, models\n\n"
                            + "class Migration(migrations.Migration):\n    initial = True\n    operations = [\n"
                            + "        migrations.CreateModel(\"Order\", [(\"id\", models.BigAutoField(primary_key=True))]),\n    ]\n")
                    .write("shop/migrations/0002_salts.py", "from django.db import migrations, models\n"
                            + "from django.db.models.functions import Random\n\n"
                            + "class Migration(migrations.Migration):\n    dependencies = [(\"shop\", \"0001_initial\")]\n"
                            + "    operations = [\n"
                            + "        migrations.AddField(\"order\", \"salt\", models.FloatField(db_default=-Random())),\n".repeat(LINES)
                            + "    ]\n")
                    .commit("many operator defaults");
            JsonNode report = analyzeAll(repo.dir());
            assertEquals(LINES + 1, report.path("summary").path("operations").asInt());
        }
    }

    private JsonNode analyzeAll(Path repo) throws Exception {
        BoundedCommands.Outcome o = commands.call(new String[] {"analyze", "--all", "--format", "json", "--repo", repo.toString()}, HANG);
        assertOk(o);
        return JSON.readTree(o.out());
    }

    private JsonNode parse(String source) throws Exception {
        Path file = temp.resolve("app/migrations/0002_generated.py");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        BoundedCommands.Outcome o = commands.call(new String[] {"parse", "--format", "json", file.toString()}, HANG);
        assertOk(o);
        return JSON.readTree(o.out()).path("files").path(0);
    }

    private static void assertOk(BoundedCommands.Outcome o) {
        assertFalse(o.timedOut(), "no answer within " + HANG.toSeconds() + " s");
        assertEquals(null, o.thrown());
        assertTrue(o.code() == 0 || o.code() == 1, "exit " + o.code() + ": " + o.err());
        assertFalse(o.err().contains("internal error") || o.err().contains("Exception"), o.err());
    }
}
