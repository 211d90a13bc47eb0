package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `migsafe parse` end to end: operands from the work tree and from git objects, errors, exit codes. */
class ParseCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private record Run(int code, String out, String err) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (String line : this.out.split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void readsMigrationFilesFromGitObjectsOfACommit() throws Exception {
        try (GitScenario repo = GitScenario.create(temp.resolve("repo"))) {
            repo.copy("shop", "shop").commit("shop");
            // The work tree no longer has the files: only git objects are read.
            deleteTree(repo.dir().resolve("shop"));
            Run run = run("parse", "--format", "jsonl", "--repo", repo.dir().toString(), "HEAD:shop");
            assertEquals(0, run.code(), run.err());
            List<JsonNode> lines = run.lines();
            assertEquals(26, lines.size(), "every migration module under shop/, and nothing else");
            assertTrue(lines.stream().allMatch(l -> l.get("path").asText().startsWith("shop/")));
            assertTrue(lines.stream().noneMatch(l -> l.get("path").asText().endsWith("__init__.py")));
            assertEquals(25, lines.stream().filter(l -> l.get("status").asText().equals("ok")).count());

            Run one = run("parse", "--repo", repo.dir().toString(), "HEAD:shop/orders/migrations/0001_initial.py");
            assertEquals(0, one.code(), one.err());
            JsonNode doc = JSON.readTree(one.out());
            assertEquals("migsafe/parse/1", doc.get("schema").asText());
            JsonNode migration = doc.get("files").get(0).get("migration");
            assertEquals("CreateModel", migration.get("operations").get(0).get("type").asText());
        }
    }

    @Test
    void aBrokenFileIsOneLineOnStderrAndTheOthersStillParse() throws Exception {
        Path dir = temp.resolve("app/migrations");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("0001_initial.py"), "from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = []\n");
        Files.writeString(dir.resolve("0002_broken.py"), "class Migration:\n    print 'x'\n");
        Run run = run("parse", "--format", "jsonl", temp.resolve("app").toString());
        assertEquals(1, run.code());
        assertEquals(2, run.lines().size());
        String[] errLines = run.err().strip().split("\n");
        assertEquals(1, errLines.length, run.err());
        assertTrue(errLines[0].endsWith("0002_broken.py:2:5: P001 Missing parentheses in call to 'print'. Did you mean print(...)?"), errLines[0]);
    }

    @Test
    void unknownOperandIsExitTwoWithOneSentence() {
        Run run = run("parse", temp.resolve("nope.py").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("migsafe: no such file, directory or REV:PATH"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void revPathOutsideARepositoryIsExitTwo() {
        Run run = run("parse", "--repo", temp.toString(), "HEAD:app");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("not a git repository"), run.err());
    }

    @Test
    void unknownRevisionSaysHowToCheckIt() throws Exception {
        try (GitScenario repo = GitScenario.create(temp.resolve("r"))) {
            repo.write("a/migrations/0001_x.py", "x = 1\n").commit("one");
            Run run = run("parse", "--repo", repo.dir().toString(), "nosuchbranch:a");
            assertEquals(2, run.code());
            assertTrue(run.err().contains("git rev-parse nosuchbranch"), run.err());
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
