package dev.migsafe.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's script (packaging/action/migsafe_action.py) is Python; its own unittest suite
 * runs here so that `mvn verify` covers it. Needs python3 and git on the PATH.
 */
class ActionScriptTest {

    private static final Path FOLDER = Path.of("packaging", "action");

    @Test
    void theActionsPythonTestsPass(@TempDir Path temp) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(FOLDER.resolve("migsafe_action.py")),
                "run from the project's root: " + FOLDER.toAbsolutePath() + " has no migsafe_action.py");
        Path log = temp.resolve("unittest.log");
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", FOLDER.toString(), "-t",
                FOLDER.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed to test the GitHub Action's script: " + e.getMessage(), e);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("python3 -m unittest did not finish in 5 minutes:\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "python3 -m unittest discover -s " + FOLDER + " failed:\n" + Files.readString(log));
    }
}
