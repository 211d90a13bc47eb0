package dev.migsafe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PR comment's handling of suppressed findings, and Markdown escaping of finding text. */
class MarkdownReportTest {

    @Test
    void suppressedFindingsAreListedWithTheirReason(@TempDir Path dir) throws Exception {
        String md = MarkdownReport.render(ReportScenario.withC199Suppressed(dir));
        // suppressed, C199 no longer makes the RunSQL "review"
        assertTrue(md.contains("| 1 | RunSQL |  | compatible | no | R302, ~~C199~~ |"), md);
        assertTrue(md.contains("- suppressed C199 (line 17, operation 1): " + ReportScenario.REASON + "\n"), md);
        assertFalse(md.contains("**warning C199**"), md);
        assertTrue(md.contains("**4 errors**, 5 warnings, 2 infos (and 1 suppressed)"), md);
    }

    @Test
    void proseIsEscapedOutsideCodeSpansOnly() {
        assertEquals("remove \\_\\_init\\_\\_ and `__init__` from \\<app>'s list \\* 2",
                MarkdownText.text("remove __init__ and `__init__` from <app>'s list * 2"));
        assertEquals("a\\`b<br>c", MarkdownText.text("a`b\nc"));
    }

    @Test
    void codeSpansSurviveBackticksAndCellsPipes() {
        assertEquals("``a`b``", MarkdownText.code("a`b"));
        assertEquals("`` `x ``", MarkdownText.code("`x"));
        assertEquals("a\\|b<br>c", MarkdownText.cell("a|b\nc"));
    }
}
