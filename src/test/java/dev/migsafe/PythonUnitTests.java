package dev.migsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a folder's Python unittest suite (`python3 -m unittest discover`), so that `mvn verify` covers our scripts. */
public final class PythonUnitTests {

    private PythonUnitTests() {}

    /** Fails with the suite's output unless every test passes; needs python3 (and what the suite needs) on the PATH. */
    public static void pass(Path folder, Path temp) throws IOException, InterruptedException {
        Path log = temp.resolve("unittest.log");
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", folder.toString(), "-t",
                folder.toString(), "-p", "test_*.py").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed to test " + folder + ": " + e.getMessage(), e);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("python3 -m unittest did not finish in 5 minutes:\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "python3 -m unittest discover -s " + folder + " failed:\n" + Files.readString(log));
    }
}
