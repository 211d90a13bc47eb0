package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.GitScenario;
import dev.migsafe.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations full of terminal escapes and bidirectional overrides, in strings, names and a file
 * name, and a file whose syntax error is such a character: no output of any command, in any
 * format, to standard output, standard error or --output, carries one of them raw.
 */
class TerminalEscapesTest {

    /** What must never reach a terminal: C0 but line feed and tab, DEL, C1, bidi controls, line separators. */
    private static final Pattern RAW = Pattern.compile(
            "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\x{061c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}\\x{2028}\\x{2029}]");

    private static final String ESC = "\u001b";
    private static final String BEL = "\u0007";
    private static final String RLO = "\u202e";
    private static final String CSI8 = "\u009b";
    private static final String ORDERS = "shop/orders/migrations/";
    /** A migration named with a window title sequence and a right-to-left override. */
    private static final String EVIL_NAME = "0009_" + ESC + "]0;PWNED" + BEL + RLO + "evil";

    @TempDir
    static Path dir;

    @BeforeAll
    static void repository() {
        // Escapes as Python writes them (the evaluator decodes them) and raw in the source.
        String escapes = "from django.db import migrations, models\n\n\n"
                + "class Migration(migrations.Migration):\n\n"
                + "    dependencies = [(\"orders\", \"0007_delete_ordernote\")]\n\n"
                + "    operations = [\n"
                + "        migrations.RunSQL(\"\\x1b]0;PWNED\\x07UPDATE orders_order SET total = 0\\x1b[2K\\u202eDROP\\x9b31m\"),\n"
                + "        migrations.AddField(model_name=\"order\", name=\"note" + ESC + "[8m" + RLO + "\", "
                + "field=models.TextField(default=\"" + ESC + "[31m" + CSI8 + "\")),\n"
                + "        migrations.RemoveField(model_name=\"order\", name=\"\\x1b[1Atotal\\u2066\"),\n"
                + "    ]\n";
        String evil = "from django.db import migrations\n\n\n"
                + "class Migration(migrations.Migration):\n\n"
                + "    dependencies = [(\"orders\", \"0008_order_escapes\")]\n\n"
                + "    operations = [\n"
                + "        migrations.RemoveField(model_name=\"order\", name=\"status\"),\n"
                + "        migrations.RunPython(lambda apps, schema: None),\n"
                + "    ]\n";
        // Raw controls where the grammar does not expect them: the syntax errors point at them.
        String broken = "from django.db import migrations\n" + ESC + "]0;PWNED" + BEL + " = 1\n";
        String brokenString = "from django.db import migrations\nx = \"" + ESC + "[2J" + RLO + "\n";
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .write(ORDERS + "0008_order_escapes.py", escapes)
                    .write(ORDERS + EVIL_NAME + ".py", evil)
                    .write(ORDERS + "0010_broken.py", broken)
                    .write(ORDERS + "0011_broken_string.py", brokenString)
                    .commit("feature: " + ESC + "]0;PWNED" + BEL);
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run migsafe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertPrintable(String what, String text) {
        Matcher m = RAW.matcher(text);
        if (m.find()) {
            int at = m.start();
            String around = text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40));
            throw new AssertionError(what + ": raw U+" + String.format("%04X", (int) text.charAt(at)) + " near "
                    + around.replaceAll("[^\\x20-\\x7e\\n]", "?"));
        }
    }

    private static void assertPrintable(String what, Run run) {
        assertPrintable(what + " (standard output)", run.out());
        assertPrintable(what + " (standard error)", run.err());
    }

    @Test
    void everyFormatOfAnalyzeShowsTheEscapesInsteadOfPrintingThem() throws Exception {
        for (String format : List.of("text", "json", "sarif", "github", "markdown", "gitlab")) {
            Run run = migsafe("analyze", "--repo=" + dir, "main...feature", "--format", format);
            assertEquals(1, run.code(), format + ": " + run.err());
            assertFalse(run.out().isEmpty(), format);
            assertPrintable(format, run);
            Path file = dir.resolve("reports").resolve("report." + format);
            Run toFile = migsafe("analyze", "--repo=" + dir, "main...feature", "--format", format, "--output", file.toString());
            assertEquals(1, toFile.code(), format + ": " + toFile.err());
            assertPrintable(format + " (--output)", Files.readString(file, StandardCharsets.UTF_8));
            assertEquals(run.out(), Files.readString(file, StandardCharsets.UTF_8), format + ": the same document in both");
        }
        // Shown, not dropped: the text report spells them out.
        Run text = migsafe("analyze", "--repo=" + dir, "main...feature");
        assertTrue(text.out().contains("\\u001b]0;PWNED\\u0007"), text.out());
        assertTrue(text.out().contains("\\u202e"), text.out());
    }

    @Test
    void jsonDocumentsStillSayExactlyWhatTheFilesSay() throws Exception {
        // The escapes are JSON's own: a reader of the document gets the original characters back.
        ObjectMapper mapper = new ObjectMapper();
        for (String format : List.of("json", "sarif", "gitlab")) {
            Run run = migsafe("analyze", "--repo=" + dir, "main...feature", "--format", format);
            List<String> texts = new ArrayList<>();
            strings(mapper.readTree(run.out()), texts);
            assertTrue(texts.stream().anyMatch(t -> t.contains(EVIL_NAME)), format + ": " + texts);
            assertTrue(texts.stream().anyMatch(t -> t.contains("]0;PWNED" + BEL + "UPDATE")), format + ": " + texts);
        }
    }

    private static void strings(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.forEach(child -> strings(child, into));
    }

    @Test
    void parseShowsNamesStringsAndSyntaxErrorsEscaped() {
        Path migrations = dir.resolve(ORDERS);
        for (String format : List.of("json", "jsonl", "text")) {
            Run run = migsafe("parse", "--format", format, migrations.toString());
            assertEquals(1, run.code(), format + ": the broken files fail");
            assertPrintable("parse --format " + format, run);
            assertEquals(2, run.err().lines().count(), format + ": one line per broken file\n" + run.err());
        }
        Run fromGit = migsafe("parse", "--repo", dir.toString(), "--format", "text",
                "feature:" + ORDERS + "0010_broken.py", "feature:" + ORDERS + EVIL_NAME + ".py");
        assertPrintable("parse REV:PATH", fromGit);
        assertTrue(fromGit.out().contains("0009_\\u001b]0;PWNED\\u0007\\u202eevil.py"), fromGit.out());
    }

    @Test
    void commandsThatEchoNamesFromTheRepositoryEscapeThem() {
        assertPrintable("graph", migsafe("graph", "--repo", dir.toString(), "feature"));
        assertPrintable("graph json", migsafe("graph", "--repo", dir.toString(), "--format", "json", "feature"));
        assertPrintable("history", migsafe("history", "--repo", dir.toString(), "--appearances", "feature"));
        assertPrintable("rewind", migsafe("rewind", "--repo", dir.toString(), "feature", "main"));
        assertPrintable("divergence", migsafe("divergence", "--repo", dir.toString(), "feature", "main"));
        assertPrintable("explain", migsafe("explain", ESC + "]0;PWNED" + BEL));
        assertPrintable("a bad option", migsafe("analyze", "--format", ESC + "[2J"));
        assertPrintable("a bad range", migsafe("analyze", "--repo=" + dir, ESC + "]0;PWNED" + BEL + "...feature"));
        Run rewind = migsafe("rewind", "--repo", dir.toString(), "feature", "main");
        assertTrue(rewind.out().contains("\\u001b]0;PWNED"), rewind.out() + rewind.err());
    }
}
