package dev.migsafe.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.graph.UpgradePlan;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.rules.MigrationVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `migsafe plan` for people and programs: per site, the steps (before the rollout, the rollout,
 * after it), each migration with its class, reversibility and the findings that matter for the
 * deploy, where a maintenance window or a backup is needed, and for every step the way back.
 */
public final class PlanReport {

    /** One site's plan with the verdicts of the migrations it applies (keyed by migration). */
    public record Site(String name, String from, UpgradePlan plan, Map<MigrationKey, MigrationVerdict> verdicts) {

        MigrationVerdict verdict(MigrationKey k) {
            return verdicts.get(k);
        }

        /** The steps that apply a downtime migration. */
        List<Integer> downtimeSteps() {
            List<Integer> out = new ArrayList<>();
            for (UpgradePlan.Step s : plan.steps()) {
                if (s.migrations().stream().anyMatch(k -> verdict(k) != null && verdict(k).deployClass() == DeployClass.DOWNTIME)) {
                    out.add(s.number());
                }
            }
            return out;
        }

        /** The migrations that cannot be unapplied, in plan order. */
        List<MigrationKey> irreversible() {
            return plan.order().stream().filter(k -> verdict(k) != null && verdict(k).reversible() == Reversibility.NO).toList();
        }

        /** The first step that applies an irreversible migration (take a backup before it), or 0. */
        int backupBefore() {
            for (UpgradePlan.Step s : plan.steps()) {
                if (s.migrations().stream().anyMatch(irreversible()::contains)) {
                    return s.number();
                }
            }
            return 0;
        }
    }

    private PlanReport() {}

    /** Findings worth a line in a plan: those that decide a class, and lock and data findings (not L216, said once). */
    static List<Finding> shown(MigrationVerdict v) {
        return v == null ? List.of() : v.findings().stream().filter(f -> !f.isSuppressed() && !f.rule().equals("L216")
                && (f.deployClass() != null && f.deployClass() != DeployClass.COMPATIBLE || f.rule().startsWith("L")
                || f.rule().startsWith("D"))).toList();
    }

    public static String text(List<Site> sites, String to) {
        StringBuilder out = new StringBuilder();
        for (Site s : sites) {
            text(out, s, to);
        }
        if (sites.size() > 1) {
            out.append("summary\n");
            out.append(String.format("  %-24s %-32s %10s  %-18s %s%n", "site", "applied up to", "migrations", "downtime", "irreversible"));
            for (Site s : sites) {
                out.append(String.format("  %-24s %-32s %10d  %-18s %s%n", s.name(), s.from(), s.plan().order().size(),
                        s.downtimeSteps().isEmpty() ? "no" : "yes (step " + join(s.downtimeSteps()) + ")",
                        s.irreversible().size()));
            }
        }
        return out.toString();
    }

    private static void text(StringBuilder out, Site s, String to) {
        UpgradePlan p = s.plan();
        out.append("site ").append(s.name()).append(": ").append(s.from()).append(" -> ").append(to).append(", ")
                .append(p.order().size()).append(" migration").append(p.order().size() == 1 ? "" : "s").append(" to apply\n");
        if (!p.ahead().isEmpty()) {
            out.append("  the database has migrations ").append(to).append(" does not: ").append(keys(p.ahead()))
                    .append("\n    unapply them first, with the code that has them (migsafe rewind FROM TO), or ")
                    .append("the site cannot reach ").append(to).append("\n");
        }
        for (String why : p.refusals()) {
            out.append("  Django refuses this upgrade: ").append(why).append('\n');
        }
        for (MigrationKey k : p.setAside()) {
            out.append("  ").append(k.app()).append('.').append(k.name()).append(" is a squash the site applied in part:")
                    .append(" Django runs the rest of the migrations it replaces instead\n");
        }
        if (p.order().isEmpty()) {
            out.append("  nothing to apply\n\n");
            return;
        }
        boolean rollout = false;
        for (UpgradePlan.Step step : p.steps()) {
            if (step.stage() == dev.migsafe.migration.Stage.POST_DEPLOY && !rollout) {
                out.append("  the rollout: deploy ").append(to).append("'s code\n");
                rollout = true;
            }
            if (step.number() == 1) {
                out.append(step.stage() == dev.migsafe.migration.Stage.PRE_DEPLOY ? "  before the rollout\n"
                        : "  (no pre-deploy migrations)\n");
            }
            if (step.stage() == dev.migsafe.migration.Stage.POST_DEPLOY) {
                out.append("  after the rollout\n");
            }
            out.append("    step ").append(step.number()).append(": ").append(step.command()).append('\n');
            if (step.problem() != null) {
                out.append("      problem: ").append(step.problem()).append('\n');
            }
            for (MigrationKey k : step.migrations()) {
                MigrationVerdict v = s.verdict(k);
                out.append("      ").append(k.app()).append('.').append(k.name());
                if (v != null) {
                    out.append("  ").append(v.deployClass().label()).append(", reversible: ").append(v.reversible().label());
                }
                out.append('\n');
                for (Finding f : shown(v)) {
                    out.append("        ").append(f.rule()).append(' ').append(Printable.escape(f.message())).append('\n');
                }
            }
            int by = p.appliedBy(step.number()).size();
            out.append("      if it fails (up to ").append(by).append(" migration").append(by == 1 ? "" : "s")
                    .append(" of the plan applied by then): back to ").append(s.from()).append(": ")
                    .append(String.join("; ", p.wayBack(step.number()))).append('\n');
            List<MigrationKey> stuck = p.appliedBy(step.number()).stream().filter(s.irreversible()::contains).toList();
            List<MigrationKey> lossy = p.appliedBy(step.number()).stream().filter(k -> s.verdict(k) != null
                    && s.verdict(k).reversible() == Reversibility.LOSSY).toList();
            if (!lossy.isEmpty()) {
                out.append("        ").append(keys(lossy)).append(" can be unapplied, but not their data (lossy)\n");
            }
            if (!stuck.isEmpty()) {
                out.append("        ").append(keys(stuck)).append(" cannot be unapplied: restore the backup taken before step ")
                        .append(s.backupBefore()).append('\n');
            }
        }
        if (!rollout) {
            out.append("  the rollout: deploy ").append(to).append("'s code (no post-deploy migrations)\n");
        }
        if (!s.downtimeSteps().isEmpty()) {
            out.append("  maintenance window: needed for step ").append(join(s.downtimeSteps()))
                    .append(" (downtime migrations); or move them into a release of their own\n");
        }
        if (s.backupBefore() > 0) {
            out.append("  backup: take one before step ").append(s.backupBefore()).append(" (irreversible: ")
                    .append(keys(s.irreversible())).append(")\n");
        }
        out.append('\n');
    }

    public static String json(List<Site> sites, String to) throws java.io.IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("schema", "migsafe/plan/1");
        root.put("to", to);
        ArrayNode arr = root.putArray("sites");
        for (Site s : sites) {
            ObjectNode site = arr.addObject();
            site.put("name", s.name());
            site.put("from", s.from());
            site.put("migrations", s.plan().order().size());
            ArrayNode order = site.putArray("order"); // Django's order, before the split into phases
            s.plan().order().forEach(k -> order.add(k.app() + "." + k.name()));
            ArrayNode refusals = site.putArray("refusals");
            s.plan().refusals().forEach(refusals::add);
            ArrayNode ahead = site.putArray("ahead");
            s.plan().ahead().forEach(k -> ahead.add(k.app() + "." + k.name()));
            ArrayNode steps = site.putArray("steps");
            for (UpgradePlan.Step step : s.plan().steps()) {
                ObjectNode o = steps.addObject();
                o.put("number", step.number());
                o.put("phase", step.stage().label());
                o.put("command", step.command());
                if (step.problem() != null) {
                    o.put("problem", step.problem());
                }
                ArrayNode ms = o.putArray("migrations");
                for (MigrationKey k : step.migrations()) {
                    ObjectNode m = ms.addObject();
                    m.put("app", k.app());
                    m.put("name", k.name());
                    MigrationVerdict v = s.verdict(k);
                    if (v != null) {
                        m.put("class", v.deployClass().label());
                        m.put("reversible", v.reversible().label());
                    }
                    ArrayNode fs = m.putArray("findings");
                    shown(v).forEach(f -> fs.addObject().put("rule", f.rule()).put("severity", f.severity().label())
                            .put("message", f.message()));
                }
                ArrayNode by = o.putArray("applied_by_then"); // once the step has run, beyond what the site had
                s.plan().appliedBy(step.number()).forEach(k -> by.add(k.app() + "." + k.name()));
                ArrayNode back = o.putArray("way_back");
                s.plan().wayBack(step.number()).forEach(back::add);
            }
            ArrayNode downtime = site.putArray("maintenance_window_steps");
            s.downtimeSteps().forEach(downtime::add);
            ArrayNode irr = site.putArray("irreversible");
            s.irreversible().forEach(k -> irr.add(k.app() + "." + k.name()));
            if (s.backupBefore() > 0) {
                site.put("backup_before_step", s.backupBefore());
            }
        }
        return om.writeValueAsString(root) + "\n";
    }

    /** A release checklist per site (markdown). */
    public static String markdown(List<Site> sites, String to) {
        StringBuilder out = new StringBuilder();
        for (Site s : sites) {
            UpgradePlan p = s.plan();
            out.append("## Upgrade ").append(MarkdownText.text(s.name())).append(": ").append(MarkdownText.text(s.from()))
                    .append(" → ").append(MarkdownText.text(to)).append("\n\n");
            if (!p.ahead().isEmpty()) {
                out.append("- [ ] Unapply first (the database has migrations ").append(MarkdownText.text(to))
                        .append(" does not): ").append(MarkdownText.text(keys(p.ahead()))).append("\n");
            }
            if (p.order().isEmpty()) {
                out.append("Nothing to apply.\n\n");
                continue;
            }
            if (s.backupBefore() > 0) {
                out.append("- [ ] Take a backup before step ").append(s.backupBefore()).append(" (cannot be unapplied: ")
                        .append(MarkdownText.text(keys(s.irreversible()))).append(")\n");
            }
            if (!s.downtimeSteps().isEmpty()) {
                out.append("- [ ] Plan a maintenance window for step ").append(join(s.downtimeSteps())).append("\n");
            }
            boolean rollout = false;
            out.append("\n### Before the rollout\n\n");
            for (UpgradePlan.Step step : p.steps()) {
                if (step.stage() == dev.migsafe.migration.Stage.POST_DEPLOY && !rollout) {
                    out.append("\n### The rollout\n\n- [ ] Deploy ").append(MarkdownText.text(to)).append("\n\n### After the rollout\n\n");
                    rollout = true;
                }
                out.append("- [ ] Step ").append(step.number()).append(": ").append(MarkdownText.code(step.command())).append("\n");
                for (MigrationKey k : step.migrations()) {
                    MigrationVerdict v = s.verdict(k);
                    out.append("  - ").append(MarkdownText.text(k.app() + "." + k.name()));
                    if (v != null) {
                        out.append(" — ").append(v.deployClass().label()).append(", reversible: ").append(v.reversible().label());
                    }
                    out.append("\n");
                }
                out.append("  - if it fails: ");
                List<String> back = p.wayBack(step.number());
                for (int i = 0; i < back.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(MarkdownText.code(back.get(i)));
                }
                out.append("\n");
                if (step.problem() != null) {
                    out.append("  - problem: ").append(MarkdownText.text(step.problem())).append("\n");
                }
            }
            if (!rollout) {
                out.append("\n### The rollout\n\n- [ ] Deploy ").append(MarkdownText.text(to)).append("\n");
            }
            out.append("\n");
        }
        return out.toString();
    }

    private static String keys(List<MigrationKey> ks) {
        List<String> out = new ArrayList<>();
        ks.forEach(k -> out.add(k.app() + "." + k.name()));
        return String.join(", ", out);
    }

    private static String join(List<Integer> ns) {
        List<String> out = new ArrayList<>();
        ns.forEach(n -> out.add(String.valueOf(n)));
        return String.join(", ", out);
    }
}
