package dev.migsafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated fixtures through parse and analyze (docs/fuzzing.md): no crash, no hang, every bad file
 * reported, every untouched migration still judged. The normal suite runs 300 mutants of seed 1
 * at light scale (structural operators clamped to 1,000 repetitions or levels and 100 KB); the
 * full run is the same test with more, at full scale:
 *
 * <pre>mvn -o -B -q test -Dtest=FuzzTest -Dfuzz.mutants=6000 -Dfuzz.seed=1</pre>
 *
 * The time bounds in the harness only turn a hang into a failure with its mutant; they measure nothing.
 */
class FuzzTest {

    @TempDir
    Path temp;

    @Test
    void mutatedFixturesNeverCrashHangOrGoUnreported() throws Exception {
        FuzzSettings settings = FuzzSettings.fromSystemProperties(300, Mutator.Scale.LIGHT);
        // -Dfuzz.work=DIR -Dfuzz.keep=true keeps the repositories there, to look into a failure.
        Path work = System.getProperty("fuzz.work") != null ? Path.of(System.getProperty("fuzz.work")) : temp;
        FuzzRun run = new FuzzRun(settings, Corpus.load(Fixtures.ROOT), work);
        String summary = run.run();
        System.out.println(summary);
        assertTrue(run.failures().isEmpty(), () -> run.failures().stream().map(run::oneLine)
                .collect(Collectors.joining("\n", "", "\n")) + summary);
    }
}
