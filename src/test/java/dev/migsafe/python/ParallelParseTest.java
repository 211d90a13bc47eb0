package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.migsafe.Fixtures;
import dev.migsafe.git.GitRepository;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Files parsed ahead on several threads come out as one parser would have parsed them. */
class ParallelParseTest {

    private static List<ParallelParse.Source> fixtures() {
        List<ParallelParse.Source> sources = new ArrayList<>();
        for (Path p : Fixtures.pythonFiles("")) {
            byte[] bytes = Fixtures.bytes(p);
            sources.add(new ParallelParse.Source(GitRepository.blobId(bytes), p.toString(), () -> bytes));
        }
        return sources;
    }

    @Test
    void everyMissingFileIsPrimedWithTheSameResultAsAParseInOrder() {
        List<ParallelParse.Source> sources = fixtures();
        ParseCache cache = ParseCache.inMemory();
        ParallelParse.prime(sources, cache, 3);
        ModuleParser inOrder = new ModuleParser();
        int primed = 0;
        for (ParallelParse.Source s : sources) {
            ParseCache.Entry entry = cache.get(s.blobId());
            assertNotNull(entry, s.path());
            assertEquals(inOrder.parse(s.bytes().get(), s.path()), entry.parsed(), s.path());
            assertNull(entry.summary(), s.path());
            primed++;
        }
        assertEquals(sources.size(), primed);
    }

    @Test
    void fewFilesOrOneCoreAreLeftToTheReadingInOrder() {
        List<ParallelParse.Source> sources = fixtures();
        ParseCache oneCore = ParseCache.inMemory();
        ParallelParse.prime(sources, oneCore, 1);
        assertNull(oneCore.get(sources.get(0).blobId()));
        ParseCache few = ParseCache.inMemory();
        ParallelParse.prime(sources.subList(0, ParallelParse.MIN_FILES - 1), few, 2);
        assertNull(few.get(sources.get(0).blobId()));
    }

    /**
     * Parsers whose helper threads throw ERROR; the calling thread's waits for that before it
     * parses, so that a helper surely has a file of its own.
     */
    private static java.util.function.Supplier<ParallelParse.Parsing> helpersThrow(Error error) {
        CountDownLatch thrown = new CountDownLatch(1);
        return () -> {
            if (Thread.currentThread().getName().startsWith("migsafe-parse-")) {
                return (bytes, path) -> {
                    thrown.countDown();
                    throw error;
                };
            }
            ModuleParser parser = new ModuleParser(ParseCache.inMemory());
            return (bytes, path) -> {
                try {
                    thrown.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return parser.parse(bytes, path);
            };
        };
    }

    /** What the JVM would print for a thread that dies of an uncaught throwable, while work runs. */
    private static String stderrOf(Runnable work) {
        PrintStream real = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(real);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runningOutOfMemoryOnAHelperThreadLeavesEveryFileToTheReadingInOrder() {
        List<ParallelParse.Source> sources = fixtures();
        ParseCache cache = ParseCache.inMemory();
        String stderr = stderrOf(() -> ParallelParse.prime(sources, cache, 3, helpersThrow(new OutOfMemoryError("Java heap space"))));
        assertEquals("", stderr, "no thread dies with a trace");
        for (ParallelParse.Source s : sources) {
            assertNull(cache.get(s.blobId()), s.path());
        }
    }

    @Test
    void anyOtherErrorOnAHelperThreadIsThrownOnTheCallingThread() {
        List<ParallelParse.Source> sources = fixtures();
        AssertionError bug = new AssertionError("a bug in the parser");
        String stderr = stderrOf(() -> assertSame(bug, assertThrows(AssertionError.class,
                () -> ParallelParse.prime(sources, ParseCache.inMemory(), 3, helpersThrow(bug)))));
        assertEquals("", stderr, "no thread dies with a trace");
    }
}
