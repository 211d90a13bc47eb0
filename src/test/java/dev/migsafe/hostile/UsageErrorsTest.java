package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command line migsafe cannot read gets one line on stderr that says what is wrong and which
 * help to read, exit code 2, and nothing on stdout; whether picocli reads the line or the fast
 * reader of the hooks' analyze lines does.
 */
class UsageErrorsTest {

    private record Run(int code, String out, String err) {}

    private static Run migsafe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLine(String expected, String... args) {
        Run run = migsafe(args);
        String line = String.join(" ", args);
        assertEquals(2, run.code(), line);
        assertEquals("", run.out(), line);
        assertEquals(expected + "\n", run.err(), line);
    }

    @Test
    void mistakesOnAnAnalyzeLineAreOneLineThatPointsAtItsHelp() {
        assertOneLine("migsafe: unknown option: '--bogus'; see `migsafe analyze --help`", "analyze", "--bogus");
        assertOneLine("migsafe: invalid value for option '--format': expected one of [text, json, sarif, github, markdown, gitlab]"
                + " (case-sensitive) but was 'xml'; see `migsafe analyze --help`", "analyze", "--format", "xml");
        assertOneLine("migsafe: missing required parameter for option '--database' (DB); see `migsafe analyze --help`",
                "analyze", "--staged", "--database");
        assertOneLine("migsafe: --staged, --all are mutually exclusive (specify only one); see `migsafe analyze --help`",
                "analyze", "--staged", "--all");
    }

    @Test
    void otherCommandsAndTheirSubcommandsToo() {
        assertOneLine("migsafe: missing required parameter: 'PATH|REV:PATH'; see `migsafe parse --help`", "parse");
        assertOneLine("migsafe: missing required subcommand; see `migsafe --help`");
        for (String[] args : List.of(new String[] {"nosuch"}, new String[] {"anlyze", "--staged"},
                new String[] {"daemon", "strat"}, new String[] {"graph", "--format", "svg"},
                new String[] {"rewind", "main"}, new String[] {"hook", "install", "--bogus"})) {
            Run run = migsafe(args);
            String line = String.join(" ", args);
            assertEquals(2, run.code(), line);
            assertEquals("", run.out(), line);
            assertEquals(1, run.err().lines().count(), line + "\n" + run.err());
            assertTrue(run.err().startsWith("migsafe: "), run.err());
            assertTrue(run.err().endsWith(" --help`\n"), run.err());
        }
        // picocli's suggestion stays, on the same line.
        assertTrue(migsafe("anlyze").err().contains("did you mean analyze"), migsafe("anlyze").err());
        assertTrue(migsafe("daemon", "strat").err().endsWith("see `migsafe daemon --help`\n"), migsafe("daemon", "strat").err());
    }

    @Test
    void errorsTheAnalyzeCommandFindsItselfAreOneLineOnBothReaders() {
        // Read by the fast reader (plain operands) and by picocli (an = form it leaves to picocli).
        for (String[] args : List.of(new String[] {"analyze", "main", "feature"},
                new String[] {"analyze", "--fail-on=never", "--", "main", "feature"})) {
            Run run = migsafe(args);
            assertEquals(2, run.code(), String.join(" ", args));
            assertEquals("migsafe: give one RANGE, or migration files (paths ending in .py): main feature\n", run.err());
        }
    }
}
