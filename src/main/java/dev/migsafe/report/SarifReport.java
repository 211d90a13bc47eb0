package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import dev.migsafe.rules.RuleInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `analyze --format sarif`: SARIF 2.1.0 for code scanning (docs/output-formats.md). One run; the
 * driver lists every rule of the catalogue, so a result's ruleIndex and the rule's help do not
 * depend on what fired; suppressed findings are results with an in-source suppression.
 */
public final class SarifReport {

    public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

    /** The key of our own partial fingerprint; bump the version if what it hashes changes. */
    static final String FINGERPRINT = "migsafe/v1";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final AnalyzeReport report;

    public SarifReport(AnalyzeReport report) {
        this.report = report;
    }

    public ObjectNode json() {
        List<RuleInfo> rules = rules();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (RuleInfo r : rules) {
            index.put(r.id(), index.size());
        }
        ObjectNode log = F.objectNode();
        log.put("$schema", SCHEMA_URI);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "migsafe");
        driver.put("version", report.version());
        ArrayNode descriptors = driver.putArray("rules");
        rules.forEach(r -> descriptors.add(descriptor(r)));
        // Operation columns count code points (the parser reads decoded text), not UTF-16 units.
        run.put("columnKind", "unicodeCodePoints");
        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            results.add(result(f, index.get(f.rule())));
        }
        ObjectNode props = run.putObject("properties");
        props.putObject("range").put("mode", report.result().mode().label()).put("base", report.result().baseId())
                .put("head", report.result().headId());
        props.put("errors", report.count(Severity.ERROR));
        props.put("warnings", report.count(Severity.WARNING));
        props.put("infos", report.count(Severity.INFO));
        props.put("suppressed", report.suppressedCount());
        return log;
    }

    /** The catalogue, and any rule a finding names that the catalogue lacks (so every result has its rule). */
    private List<RuleInfo> rules() {
        List<RuleInfo> rules = new ArrayList<>();
        for (Rule r : RuleCatalog.all()) {
            rules.add(r.info());
        }
        for (Finding f : report.findings()) {
            if (RuleCatalog.byId(f.rule()) == null && rules.stream().noneMatch(r -> r.id().equals(f.rule()))) {
                rules.add(RuleInfo.of(f.rule(), f.rule(), f.severity()));
            }
        }
        return rules;
    }

    public static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static ObjectNode descriptor(RuleInfo r) {
        ObjectNode d = F.objectNode();
        d.put("id", r.id());
        d.put("name", r.name());
        String summary = r.summary().isBlank() ? r.name() : r.summary();
        d.putObject("shortDescription").put("text", summary);
        d.putObject("fullDescription").put("text", r.why().isBlank() ? summary : summary + "\n\n" + r.why());
        d.putObject("help").put("text", helpText(r, summary)).put("markdown", helpMarkdown(r, summary));
        d.putObject("defaultConfiguration").put("level", level(r.severity()));
        ArrayNode tags = d.putObject("properties").putArray("tags");
        tags.add(family(r.id()));
        if (r.deployClass() != null) {
            tags.add(r.deployClass().label());
        }
        return d;
    }

    /** The family of RULES.md a rule belongs to, by the letter of its id. */
    static String family(String id) {
        return switch (id.isEmpty() ? ' ' : id.charAt(0)) {
            case 'P' -> "parsing";
            case 'G' -> "graph";
            case 'C' -> "compatibility";
            case 'L' -> "locks";
            case 'R' -> "reversibility";
            case 'D' -> "data";
            case 'S' -> "stages";
            case 'X' -> "suppressions";
            default -> "other";
        };
    }

    private static String helpText(RuleInfo r, String summary) {
        StringBuilder sb = new StringBuilder(summary);
        if (!r.why().isBlank()) {
            sb.append("\n\nWhy: ").append(r.why());
        }
        if (!r.instead().isBlank()) {
            sb.append("\n\nInstead: ").append(r.instead());
        }
        if (!r.example().isBlank()) {
            sb.append("\n\nExample:\n").append(r.example());
        }
        return sb.toString();
    }

    private static String helpMarkdown(RuleInfo r, String summary) {
        StringBuilder sb = new StringBuilder(summary);
        if (!r.why().isBlank()) {
            sb.append("\n\n**Why.** ").append(r.why());
        }
        if (!r.example().isBlank()) {
            sb.append("\n\n**Example**\n\n```python\n").append(r.example()).append("\n```");
        }
        if (!r.instead().isBlank()) {
            sb.append("\n\n**Instead.** ").append(r.instead());
        }
        sb.append("\n\n`migsafe explain ").append(r.id()).append("` prints this documentation.");
        return sb.toString();
    }

    private static ObjectNode result(Finding f, Integer ruleIndex) {
        ObjectNode r = F.objectNode();
        r.put("ruleId", f.rule());
        if (ruleIndex != null) {
            r.put("ruleIndex", ruleIndex);
        }
        r.put("level", level(f.severity()));
        // Code scanning shows only the message: the fix is the part a reader acts on.
        r.putObject("message").put("text", f.message() + (f.fix() == null ? "" : "\n\nFix: " + f.fix()));
        if (f.path() != null) {
            ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", f.path());
            if (f.line() >= 1) {
                ObjectNode region = physical.putObject("region").put("startLine", f.line());
                if (f.column() >= 1) {
                    region.put("startColumn", f.column());
                }
            }
        }
        if (!f.evidence().isEmpty()) {
            // The deployed code's places (base side): code scanning links them under the result.
            com.fasterxml.jackson.databind.node.ArrayNode related = r.putArray("relatedLocations");
            int id = 1;
            for (dev.migsafe.migration.Evidence e : f.evidence()) {
                ObjectNode loc = related.addObject().put("id", id++);
                ObjectNode phys = loc.putObject("physicalLocation");
                phys.putObject("artifactLocation").put("uri", e.path());
                phys.putObject("region").put("startLine", e.line()).put("startColumn", Math.max(1, e.column()));
                loc.putObject("message").put("text", e.kind() + ": " + e.text());
            }
        }
        r.putObject("partialFingerprints").put(FINGERPRINT, fingerprint(f));
        if (f.isSuppressed()) {
            r.putArray("suppressions").addObject().put("kind", "inSource").put("justification", f.suppressed());
        }
        ObjectNode props = r.putObject("properties");
        props.put("severity", f.severity().label());
        if (f.deployClass() != null) {
            props.put("class", f.deployClass().label());
        }
        if (f.app() != null) {
            props.put("app", f.app());
        }
        if (f.migration() != null) {
            props.put("migration", f.migration());
        }
        if (f.operation() != null) {
            props.put("operation", f.operation());
        }
        if (f.fix() != null) {
            props.put("fix", f.fix());
        }
        return r;
    }

    /**
     * What identifies a finding across commits without its line (which moves when code above it
     * changes): rule, where (app and migration, or the path) and which operation, and the message,
     * which names the user's model and field.
     */
    static String fingerprint(Finding f) {
        String key = String.join("\u0000", f.rule(), f.app() == null ? String.valueOf(f.path()) : f.app(),
                String.valueOf(f.migration()), String.valueOf(f.operation()), f.message());
        return hash(key);
    }

    /** The first 16 bytes of the SHA-256 of {@code key}, in hex. */
    static String hash(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
