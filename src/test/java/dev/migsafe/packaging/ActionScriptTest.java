package dev.migsafe.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        dev.migsafe.PythonUnitTests.pass(FOLDER, temp);
    }
}
