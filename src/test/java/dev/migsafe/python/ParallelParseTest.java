package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.migsafe.Fixtures;
import dev.migsafe.git.GitRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
