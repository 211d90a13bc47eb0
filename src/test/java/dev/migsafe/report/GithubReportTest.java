package dev.migsafe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow commands: GitHub's escaping rules, levels, and suppressed findings left out. */
class GithubReportTest {

    @Test
    void dataEscapesPercentAndLineBreaks() {
        assertEquals("100%25 done%0D%0Anext: a,b", GithubReport.data("100% done\r\nnext: a,b"));
    }

    @Test
    void propertiesAlsoEscapeColonAndComma() {
        assertEquals("C101 a%3Ab%2Cc%25%0A", GithubReport.property("C101 a:b,c%\n"));
    }

    @Test
    void oneCommandWithFileLineColumnAndTitle() {
        Finding f = new Finding("C102", Severity.ERROR, "shop/a,b/migrations/0002_x.py", 12, 9, "a", "0002_x",
                "drops note:\nold code fails", "release 1: ...");
        assertEquals("::error file=shop/a%2Cb/migrations/0002_x.py,line=12,col=9,title=C102 remove-field"
                + "::drops note:%0Aold code fails%0A%0AFix: release 1: ...", GithubReport.command(f));
    }

    @Test
    void infoIsANoticeAndAFindingWithoutAFileHasNoLocation() {
        Finding f = new Finding("G001", Severity.INFO, null, 1, 1, null, null, "two leaves", null);
        assertEquals("::notice title=G001 " + dev.migsafe.rules.RuleCatalog.byId("G001").info().name() + "::two leaves",
                GithubReport.command(f));
    }

    @Test
    void suppressedFindingsGetNoAnnotation(@TempDir Path dir) throws Exception {
        String out = GithubReport.render(ReportScenario.withC199Suppressed(dir));
        assertFalse(out.contains("title=C199"), out);
        assertTrue(out.contains("title=R302"), out);
        assertEquals(11, out.lines().filter(l -> l.startsWith("::")).count()); // L216 on 0008 among them
        assertTrue(out.endsWith("4 errors, 5 warnings, 2 infos, 1 suppressed\n"), out);
    }
}
