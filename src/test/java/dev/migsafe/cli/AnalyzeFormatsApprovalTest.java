package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.GitScenario;
import dev.migsafe.report.SarifSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.approvaltests.Approvals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sarif, github, markdown and gitlab formats on the scenario of AnalyzeReportApprovalTest (fixtures/shop
 * on main, fixtures/report's migrations on feature; commit ids and the version scrubbed), GitHub
 * Actions' automatic choice of format, and --output.
 */
class AnalyzeFormatsApprovalTest {

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

    @AfterEach
    void realEnvironment() {
        OutputOptions.environment = System::getenv;
    }

    private record Run(int code, String out, String err) {}

    private static Run analyze(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "analyze";
        all[1] = "--repo=" + dir;
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static String scrub(String s) {
        return s.replaceAll("\\b[0-9a-f]{40}\\b", "<commit>").replaceAll("\\b[0-9a-f]{12}\\b", "<commit>")
                .replaceAll("\"version\" : \"(?!2\\.1\\.0\")[^\"]*\"", "\"version\" : \"<version>\"");
    }

    private static String run(String... args) {
        Run r = analyze(args);
        assertEquals("", r.err());
        assertEquals(1, r.code());
        return scrub(r.out());
    }

    @Test
    void sarif() throws Exception {
        JsonNode sarif = new ObjectMapper().readTree(run("main...feature", "--format", "sarif"));
        assertEquals(List.of(), SarifSchema.violations(sarif));
        // Every rule's documentation is in the driver (report/SarifReportTest checks it): approving
        // it here would tie this file to every wording change of ~60 rules.
        for (JsonNode rule : sarif.get("runs").get(0).get("tool").get("driver").get("rules")) {
            ((ObjectNode) rule).put("fullDescription", "<rule documentation>").put("help", "<rule documentation>");
        }
        Approvals.verify(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sarif));
    }

    @Test
    void github() {
        Approvals.verify(run("main...feature", "--format", "github"));
    }

    @Test
    void markdown() {
        Approvals.verify(run("main...feature", "--format", "markdown"));
    }

    @Test
    void gitlab() {
        Approvals.verify(run("main...feature", "--format", "gitlab"));
    }

    @Test
    void githubActionsChoosesGithubWhenNoFormatIsGiven() {
        OutputOptions.environment = Map.of("GITHUB_ACTIONS", "true")::get;
        String auto = run("main...feature");
        OutputOptions.environment = name -> null;
        assertEquals(run("main...feature", "--format", "github"), auto);
        assertTrue(run("main...feature").startsWith("migsafe analyze: "), "outside GitHub Actions: text");
    }

    @Test
    void anExplicitFormatWinsOverGithubActions() {
        OutputOptions.environment = Map.of("GITHUB_ACTIONS", "true")::get;
        assertTrue(run("main...feature", "--format", "text").startsWith("migsafe analyze: "));
    }

    @Test
    void outputWritesTheReportToAFileAndKeepsTheExitCode(@TempDir Path out) throws Exception {
        Path file = out.resolve("reports/ci/migsafe.sarif");
        Run r = analyze("main...feature", "--format", "sarif", "--output", file.toString());
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertEquals(run("main...feature", "--format", "sarif"), scrub(Files.readString(file)));
    }

    @Test
    void anUnwritableOutputIsAUserError(@TempDir Path out) throws Exception {
        Path blocker = Files.writeString(out.resolve("file"), "x");
        Run r = analyze("main...feature", "--output", blocker.resolve("report.txt").toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("migsafe: cannot write --output " + blocker.resolve("report.txt")), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
