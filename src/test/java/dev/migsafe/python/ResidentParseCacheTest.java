package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries a resident process keeps across runs (docs/decisions/0008-resident-process.md). */
class ResidentParseCacheTest {

    private static final byte[] BYTES = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = []\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final long FINGERPRINT = 0x5_4321L;

    @TempDir
    Path gitDir;

    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void normalRunsKeepNothing() {
        ParseCache.keepResident(0);
    }

    private ModuleParser.Parsed parse(ParseCache cache, String blob) {
        return new ModuleParser(cache).parse(blob, () -> {
            reads.incrementAndGet();
            return BYTES;
        }, "app/migrations/0001_initial.py");
    }

    private static String blob(int i) {
        return String.format("%040x", i + 1);
    }

    @Test
    void aLaterRunReadsNeitherTheFileNorTheDisk() throws Exception {
        ParseCache.keepResident(1 << 20);
        ModuleParser.Parsed parsed = parse(ParseCache.under(gitDir, FINGERPRINT, true), blob(0));
        try (Stream<Path> walk = Files.walk(gitDir.resolve("migsafe"))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        ParseCache later = ParseCache.under(gitDir, FINGERPRINT, true);
        assertEquals(parsed, parse(later, blob(0)));
        assertEquals(1, reads.get());
        assertEquals(0, later.stats().diskHits());
        assertEquals(1, later.stats().memoryHits());
        assertTrue(ParseCache.residentSummary().startsWith("1 parsed files"), ParseCache.residentSummary());
    }

    @Test
    void itStaysWithinItsBudgetDroppingTheLeastRecentlyUsed() {
        ParseCache.keepResident(4 * 1024);
        ParseCache run = ParseCache.under(gitDir, FINGERPRINT, true);
        for (int i = 0; i < 100; i++) {
            parse(run, blob(i));
        }
        String summary = ParseCache.residentSummary();
        int kept = Integer.parseInt(summary.substring(0, summary.indexOf(' ')));
        assertTrue(kept > 0 && kept < 100, summary);
        int kib = Integer.parseInt(summary.substring(summary.indexOf(", ") + 2, summary.indexOf(" KiB")));
        assertTrue(kib <= 4, summary);
    }

    @Test
    void historyWalksKeepNothing() {
        ParseCache.keepResident(1 << 20);
        parse(ParseCache.diskOnly(gitDir), blob(0));
        assertEquals("0 parsed files, 0 KiB", ParseCache.residentSummary());
    }
}
