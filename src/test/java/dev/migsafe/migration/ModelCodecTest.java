package dev.migsafe.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.python.CompactIO;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParseCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model from the cache must be the model the reader builds: the rules cannot tell them apart. */
class ModelCodecTest {

    private static void assertSameModel(MigrationFile expected, MigrationFile actual) {
        assertEquals(expected.path(), actual.path());
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.error(), actual.error());
        assertEquals(expected.diagnostics(), actual.diagnostics());
        assertEquals(expected.migration(), actual.migration(), expected.path());
        assertEquals(expected.usedLlFallback(), actual.usedLlFallback());
        assertEquals(expected.module(), actual.module());
        if (expected.scope() != null) {
            assertEquals(expected.scope().imports(), actual.scope().imports());
            assertEquals(expected.scope().functions(), actual.scope().functions());
        }
    }

    @Test
    void everyFixtureModelRoundTrips() {
        MigrationReader reader = new MigrationReader();
        int migrations = 0;
        for (Path p : Fixtures.pythonFiles("")) {
            String path = Fixtures.display(p);
            MigrationFile f = reader.read(path, Fixtures.bytes(p));
            byte[] summary = ModelCodec.encode(f, MigrationReader.packageOf(path));
            if (f.status() == MigrationFile.Status.ERROR) {
                assertNull(summary);
                continue;
            }
            MigrationFile back = ModelCodec.decode(summary, path, MigrationReader.packageOf(path), f::module);
            assertSameModel(f, back);
            migrations += f.migration() == null ? 0 : 1;
        }
        assertTrue(migrations > 150, "migrations: " + migrations);
    }

    @Test
    void aSummaryOfAnotherPackageIsNotUsedAndBrokenOnesAreRejected() {
        String path = "shop/orders/migrations/0001_initial.py";
        MigrationFile f = new MigrationReader().read(path, Fixtures.bytes(Path.of("fixtures", path)));
        byte[] summary = ModelCodec.encode(f, "shop.orders.migrations");
        assertNull(ModelCodec.decode(summary, "billing/migrations/0001_initial.py", "billing.migrations", f::module));
        for (int cut = "shop.orders.migrations".length() + 2; cut < summary.length; cut++) {
            byte[] truncated = Arrays.copyOf(summary, cut);
            assertThrows(CompactIO.Malformed.class,
                    () -> ModelCodec.decode(truncated, path, "shop.orders.migrations", f::module), "cut at " + cut);
        }
    }

    @Test
    void aWarmReadTakesTheModelFromTheCacheAndTheTreeOnlyWhenAsked(@TempDir Path gitDir) {
        String path = "shop/orders/migrations/0006_order_drop_placed_at.py";
        byte[] bytes = Fixtures.bytes(Path.of("fixtures", path));
        String blob = "0123456789abcdef0123456789abcdef01234567";
        AtomicInteger reads = new AtomicInteger();

        MigrationFile cold = new MigrationReader(new ModuleParser(ParseCache.under(gitDir))).read(path, blob, () -> {
            reads.incrementAndGet();
            return bytes;
        });
        ParseCache cache = ParseCache.under(gitDir);
        MigrationFile warm = new MigrationReader(new ModuleParser(cache)).read(path, blob, () -> {
            reads.incrementAndGet();
            return bytes;
        });
        assertEquals(1, reads.get());
        assertEquals(1, cache.stats().diskHits());
        assertEquals(cold.migration(), warm.migration());
        assertNotNull(warm.module());
        assertSame(warm.module(), warm.module());
        assertSameModel(cold, warm);
        assertEquals(1, reads.get());
    }
}
