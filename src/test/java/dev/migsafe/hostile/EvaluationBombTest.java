package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A kilobyte of source can ask for exponentially many values (`L1 = L0 + L0` ... `L22`): the
 * static evaluator stops at a budget proportional to the file and the file becomes P003, while a
 * large honest file is read in full. The time bound only guards against a hang (before the
 * budget, the doubling ran out of heap or ran for minutes); it measures nothing.
 */
class EvaluationBombTest {

    private static final Duration HANG = Duration.ofSeconds(60);

    private static String doubling(String first, String step, int times, String use) {
        StringBuilder s = new StringBuilder("from django.db import migrations, models\n").append("X0 = ").append(first).append('\n');
        for (int i = 1; i <= times; i++) {
            s.append("X").append(i).append(" = ").append(step.replace("P", "X" + (i - 1))).append('\n');
        }
        return s.append("\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = ")
                .append(use.replace("LAST", "X" + times)).append('\n').toString();
    }

    private static MigrationFile read(String source) {
        return assertTimeoutPreemptively(HANG, () -> new MigrationReader().read("shop/migrations/0002_bomb.py",
                source.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertStopped(MigrationFile f) {
        assertEquals(MigrationFile.Status.ERROR, f.status());
        Diagnostic d = f.diagnostics().get(0);
        assertEquals("P003", d.rule());
        assertTrue(d.message().startsWith("this migration cannot be read statically: "), d.message());
        assertTrue(d.line() > 1, "points into the file: " + d);
    }

    @Test
    void aListDoubledOverAndOverIsP003() {
        String ops = "[" + "migrations.RunSQL(\"SELECT 1\"), ".repeat(8) + "]";
        assertStopped(read(doubling(ops, "P + P", 22, "LAST")));
    }

    @Test
    void aStringDoubledOverAndOverIsP003() {
        String sql = "\"" + "x".repeat(1000) + "\"";
        assertStopped(read(doubling(sql, "P + P", 30, "[migrations.RunSQL(LAST)]")));
    }

    @Test
    void aListNestedInItselfOverAndOverIsP003() {
        assertStopped(read(doubling("[1, 2]", "[P, P]", 40, "[migrations.RunSQL(\"SELECT 1\", hints={\"x\": LAST})]")));
    }

    @Test
    void unpackingOverAndOverIsP003() {
        assertStopped(read(doubling("[migrations.RunSQL(\"SELECT 1\")]", "[*P, *P]", 30, "LAST")));
    }

    @Test
    void aLargeHonestMigrationIsReadInFull() {
        StringBuilder s = new StringBuilder("from django.db import migrations, models\n")
                .append("CHOICES = [").append("(\"a\", \"A\"), ".repeat(200)).append("]\n")
                .append("class Migration(migrations.Migration):\n    dependencies = []\n    operations = [\n");
        for (int i = 0; i < 20_000; i++) {
            s.append("        migrations.AddField(\"order\", \"f").append(i)
                    .append("\", models.CharField(max_length=10, choices=CHOICES, null=True)),\n");
        }
        MigrationFile f = read(s.append("    ]\n").toString());
        assertEquals(MigrationFile.Status.OK, f.status(), f.diagnostics().toString());
        assertEquals(20_000, f.migration().operations().size());
    }
}
