package dev.migsafe.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzzer's own parts: mutants are reproducible from seed and index, and differ from their source. */
class MutatorTest {

    private static final byte[] SOURCE = ("from django.db import migrations, models\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = [(\"shop\", \"0001_initial\")]\n\n"
            + "    operations = [\n        migrations.RunSQL(\"SELECT 1\"),\n"
            + "        migrations.AddField(\"order\", \"note\", models.TextField(null=True)),\n    ]\n")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void theSameSeedGivesTheSameMutant() {
        for (long seed = 0; seed < 300; seed++) {
            Mutator.Mutant a = Mutator.mutate(SOURCE, SOURCE, new SplittableRandom(seed));
            Mutator.Mutant b = Mutator.mutate(SOURCE, SOURCE, new SplittableRandom(seed));
            assertArrayEquals(a.bytes(), b.bytes());
            assertEquals(a.ops(), b.ops());
            assertFalse(java.util.Arrays.equals(SOURCE, a.bytes()), "a mutant differs from its source: " + a.describe());
        }
    }

    @Test
    void lightScaleMutantsStaySmall() {
        for (long seed = 0; seed < 1000; seed++) {
            Mutator.Mutant full = Mutator.mutate(SOURCE, SOURCE, new SplittableRandom(seed), Mutator.Scale.FULL);
            Mutator.Mutant light = Mutator.mutate(SOURCE, SOURCE, new SplittableRandom(seed), Mutator.Scale.LIGHT);
            assertTrue(light.bytes().length < 400_000, light.describe() + ": " + light.bytes().length + " bytes");
        }
    }

    @Test
    void everyOperatorIsDrawn() {
        Set<Mutator.Op> seen = EnumSet.noneOf(Mutator.Op.class);
        for (long seed = 0; seed < 2000 && seen.size() < Mutator.Op.values().length; seed++) {
            for (String op : Mutator.mutate(SOURCE, SOURCE, new SplittableRandom(seed)).ops()) {
                seen.add(Mutator.Op.valueOf(op.split("[(@]")[0]));
            }
        }
        assertEquals(EnumSet.allOf(Mutator.Op.class), seen);
    }

    @Test
    void placedUnitsKeepTheirReferencesInsideThemselves() {
        Corpus corpus = Corpus.load(Fixtures.ROOT);
        Corpus.Unit shop = corpus.units.stream().filter(u -> u.name().equals("shop")).findFirst().orElseThrow();
        Map<String, byte[]> placed = Corpus.place(shop, "t1");
        assertTrue(placed.keySet().stream().anyMatch(p -> p.startsWith("shop_catalog_t1/migrations/")), placed.keySet().toString());
        assertTrue(placed.keySet().stream().noneMatch(p -> p.endsWith("/apps.py")));
        String orders = new String(placed.get("orders_t1/migrations/0001_initial.py"), StandardCharsets.ISO_8859_1);
        assertTrue(orders.contains("\"shop_catalog_t1\""), orders);
        assertFalse(orders.contains("\"shop_catalog\""), orders);
        assertTrue(corpus.sources.size() > 300, "every fixture migration is a source: " + corpus.sources.size());
    }
}
