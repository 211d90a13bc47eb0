package dev.migsafe;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts that judge verdicts on real projects (bench/review) are Python; their unittest suite
 * (the independent git-grep checker of deployed-code verdicts among them) runs here. Needs python3 and git.
 */
class ReviewScriptsTest {

    @Test
    void theReviewScriptsTestsPass(@TempDir Path temp) throws IOException, InterruptedException {
        PythonUnitTests.pass(Path.of("bench", "review"), temp);
    }
}
