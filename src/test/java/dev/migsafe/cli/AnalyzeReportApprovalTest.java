package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.approvaltests.Approvals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `analyze main...feature` on fixtures/report: the shop project on main, two typical pull-request
 * migrations on feature. Text and JSON reports are approval-tested (commit ids scrubbed).
 */
class AnalyzeReportApprovalTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void repository() {
        try (GitScenario repo = GitScenario.create(dir)) {
            repo.copy("shop", "shop").commit("shop project").branch("feature")
                    .copy("report/0008_order_review_changes.py", "shop/orders/migrations/0008_order_review_changes.py")
                    .copy("report/0009_order_channel_index.py", "shop/orders/migrations/0009_order_channel_index.py")
                    .commit("feature: order review changes");
        }
    }

    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "analyze";
        all[1] = "--repo=" + dir;
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
        assertEquals("", err.toString());
        assertEquals(expectedExit, code);
        return out.toString().replaceAll("\\b[0-9a-f]{40}\\b", "<commit>").replaceAll("\\b[0-9a-f]{12}\\b", "<commit>")
                .replaceAll("\"version\" : \"[^\"]*\"", "\"version\" : \"<version>\"");
    }

    @Test
    void text() {
        Approvals.verify(run(1, "main...feature"));
    }

    @Test
    void json() {
        Approvals.verify(run(1, "main...feature", "--format", "json"));
    }

    @Test
    void mysqlNotes() {
        Approvals.verify(run(1, "main...feature", "--database", "mysql", "--django", "4.2"));
    }
}
