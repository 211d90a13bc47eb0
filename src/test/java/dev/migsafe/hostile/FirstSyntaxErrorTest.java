package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Only the first syntax error is reported, so the parser stops there: recovering through the
 * rest of a long file (an unclosed bracket before 5,000 operations, found by the fuzz harness)
 * took ANTLR over half a minute. The time bound only guards against that hang; it measures nothing.
 */
class FirstSyntaxErrorTest {

    @Test
    void anUnclosedBracketBeforeThousandsOfOperationsIsOneQuickP001() {
        StringBuilder s = new StringBuilder("from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n")
                .append("    dependencies = []\n    operations = [\n")
                .append("        migrations.AddConstraint(\"ticket\", models.UniqueConstraint(fields=[\"user\", name=\"one\")),\n");
        for (int i = 0; i < 5_000; i++) {
            s.append("        migrations.AddField(\"ticket\", \"f").append(i).append("\", models.IntegerField(null=True)),\n");
        }
        byte[] bytes = s.append("    ]\n").toString().getBytes(StandardCharsets.UTF_8);
        MigrationFile f = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new MigrationReader().read("shop/migrations/0002_x.py", bytes));
        assertEquals(MigrationFile.Status.ERROR, f.status());
        assertEquals("P001 7:88 invalid syntax near '='", f.error().rule() + " " + f.error().line() + ":" + f.error().column()
                + " " + f.error().message());
    }
}
