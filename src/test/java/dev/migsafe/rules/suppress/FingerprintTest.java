package dev.migsafe.rules.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ModuleParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A finding's identity in the baseline: no line, the operation by target or by rank. */
class FingerprintTest {

    private static final String SOURCE = """
            from django.db import migrations


            class Migration(migrations.Migration):
                operations = [
                    migrations.RunSQL("SELECT 1"),
                    migrations.RemoveField("order", "note"),
                    migrations.RunSQL("SELECT 2"),
                ]
            """;

    private static Migration migration(String source) {
        ModuleParser parser = new ModuleParser();
        return new MigrationReader(parser)
                .read("shop/migrations/0002_x.py", source.getBytes(StandardCharsets.UTF_8)).migration();
    }

    private static Finding at(String rule, int line, Integer operation) {
        return new Finding(rule, Severity.ERROR, "shop/migrations/0002_x.py", line, 9, "shop", "0002_x", "m", "f",
                null, operation);
    }

    @Test
    void operationsAreNamedByTargetOrByRankAmongTheirType() {
        Migration m = migration(SOURCE);
        assertEquals("RemoveField shop.order.note", Fingerprint.of(at("C102", 7, 1), m).anchor());
        assertEquals("RunSQL#0", Fingerprint.of(at("C199", 6, 0), m).anchor());
        assertEquals("RunSQL#1", Fingerprint.of(at("C199", 8, 2), m).anchor());
        assertEquals("", Fingerprint.of(at("L211", 4, null), m).anchor());
    }

    @Test
    void linesDoNotMatterButRulesAndOperationsDo() {
        Migration m = migration(SOURCE);
        Migration shifted = migration("# a header\n\n" + SOURCE.replace("RunSQL(\"SELECT 1\"),", "AlterModelOptions(\"order\", {}),"));
        assertEquals(Fingerprint.of(at("C102", 7, 1), m), Fingerprint.of(at("C102", 9, 1), shifted));
        assertEquals("RunSQL#1", Fingerprint.of(at("C199", 8, 2), m).anchor());
        assertEquals("RunSQL#0", Fingerprint.of(at("C199", 10, 2), shifted).anchor());
        assertNotEquals(Fingerprint.of(at("C102", 7, 1), m), Fingerprint.of(at("R304", 7, 1), m));
    }

    @Test
    void aFileThatIsNoMigrationIsNamedByItsPath() {
        Finding f = new Finding("P002", Severity.INFO, "shop/migrations/helpers.py", 1, 1, null, null, "m", "f");
        Fingerprint p = Fingerprint.of(f, null);
        assertEquals("shop/migrations/helpers.py", p.path());
        assertEquals("", p.anchor());
    }
}
