package dev.migsafe.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaging tests (packaging/tests, Python's unittest): the wheel built from the jar that
 * `mvn package` just made, installed with pip in a fresh venv and run with no Java on PATH, and
 * the pre-commit hook repository under the real pre-commit framework. They run after the jar is
 * packaged (Failsafe, `mvn verify`); their output is printed whole, skips and their reasons too.
 */
class PackagingIT {

    @Test
    void packagingTestsPass() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("target/migsafe.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": the packaging tests run after `mvn package`");
        Path log = Files.createTempFile("migsafe-packaging", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v",
                    "-s", "packaging/tests", "-t", "packaging/tests")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MIGSAFE_JAR", jar.toString());
            Process process = builder.start();
            boolean finished = process.waitFor(20, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            assertTrue(finished, "the packaging tests did not finish in 20 minutes");
            assertEquals(0, process.exitValue(), "packaging tests failed:\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
