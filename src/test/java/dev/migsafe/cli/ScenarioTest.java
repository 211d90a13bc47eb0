package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every fixtures/scenarios/*.scenario (format: fixtures/scenarios/README.md). */
class ScenarioTest {

    private static final Path SCENARIOS = Fixtures.ROOT.resolve("scenarios");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PersonIdent WHO = new PersonIdent("Scenario", "scenario@example.com");

    @TempDir
    Path temp;

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(SCENARIOS)) {
            return files.filter(p -> p.toString().endsWith(".scenario")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreAtLeastFifteenScenarios() throws IOException {
        assertTrue(scenarios().count() >= 15);
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void scenario(Path file) throws Exception {
        int expectations = 0;
        try (Git git = Git.init().setDirectory(temp.toFile()).setInitialBranch("main").call()) {
            int lineNo = 0;
            for (String raw : Files.readAllLines(file)) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = file.getFileName() + ":" + lineNo + ": " + line;
                String[] words = line.split("\\s+");
                switch (words[0]) {
                    case "on" -> switchTo(git, words[1]);
                    case "put" -> put(words[1], words[2]);
                    case "rm" -> Files.delete(temp.resolve(words[1]));
                    case "commit" -> commit(git, line.substring("commit".length()).strip());
                    case "stage" -> {
                        put(words[1], words[2]);
                        git.add().addFilepattern(words[1]).call();
                    }
                    case "merge" -> git.merge().include(git.getRepository().resolve(words[1]))
                            .setFastForward(MergeCommand.FastForwardMode.NO_FF).setCommit(true)
                            .setMessage("merge " + words[1]).call();
                    case "expect" -> {
                        expect(line.substring("expect".length()).strip(), where);
                        expectations++;
                    }
                    default -> fail(where + ": unknown instruction");
                }
            }
        }
        assertTrue(expectations > 0, file + " has no expectations");
    }

    private void switchTo(Git git, String branch) throws Exception {
        if (git.getRepository().resolve("HEAD") == null) {
            return; // unborn main: the first commit creates it
        }
        boolean exists = git.getRepository().findRef("refs/heads/" + branch) != null;
        git.checkout().setName(branch).setCreateBranch(!exists).call();
    }

    private void put(String path, String fixture) throws IOException {
        Path to = temp.resolve(path);
        Files.createDirectories(to.getParent());
        Files.copy(SCENARIOS.resolve("files").resolve(fixture), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    }

    private void expect(String spec, String where) throws Exception {
        String[] parts = spec.split("=>", 2);
        List<String> args = new ArrayList<>(Arrays.asList(parts[0].strip().split("\\s+")));
        String expected = parts[1].strip();
        args.add(1, "--repo");
        args.add(2, temp.toString());
        boolean wantsExit = expected.startsWith("exit ");
        boolean wantsText = expected.startsWith("contains ");
        if (!wantsExit && !wantsText && !args.contains("--format")) {
            args.add("--format");
            args.add("json");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        if (wantsExit) {
            assertEquals(Integer.parseInt(expected.substring(5).strip()), code, where + "\n" + out + err);
            return;
        }
        if (wantsText) {
            String text = expected.substring("contains ".length()).strip();
            assertTrue(out.toString().contains(text), where + ": output lacks \"" + text + "\"\n" + out + err);
            return;
        }
        assertTrue(code == 0 || code == 1, where + ": exit " + code + "\n" + err);
        JsonNode doc = JSON.readTree(out.toString());
        List<String> rules = new ArrayList<>();
        List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split("\\s+"));
        for (JsonNode f : doc.get("findings")) {
            // L216 (lock-timeout) speaks for nearly every migration; a scenario checks it only when it names it.
            if (!f.get("rule").asText().equals("L216") || want.contains("L216")) {
                rules.add(f.get("rule").asText());
            }
        }
        assertEquals(want.stream().sorted().toList(), rules.stream().sorted().toList(), where + "\n" + out);
    }
}
