package dev.migsafe.cli;

import dev.migsafe.config.Edits;
import dev.migsafe.report.RuleDocs;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe explain RULE`: what a rule flags, why, an example, and what to do instead. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Print a rule's documentation.")
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RULE", description = "A rule id (C101) or name (add-field-not-null).")
    String rule;

    @Override
    public Integer call() {
        Rule found = find(rule);
        if (found == null) {
            throw new UserError("no rule '" + rule + "'" + suggestion(rule) + "; `migsafe rules` lists them all");
        }
        spec.commandLine().getOut().print(RuleDocs.text(found));
        return ExitCodes.OK;
    }

    static Rule find(String idOrName) {
        String wanted = idOrName.trim();
        for (Rule r : RuleCatalog.all()) {
            if (r.id().equalsIgnoreCase(wanted) || r.info().name().equalsIgnoreCase(wanted)) {
                return r;
            }
        }
        return null;
    }

    /** " (did you mean C101 add-field-not-null?)" for the closest id or name, if close enough. */
    static String suggestion(String given) {
        String g = given.toLowerCase(Locale.ROOT);
        Rule best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Rule r : RuleCatalog.all()) {
            int d = Math.min(Edits.distance(g, r.id().toLowerCase(Locale.ROOT)), Edits.distance(g, r.info().name()));
            if (d < bestDistance) {
                bestDistance = d;
                best = r;
            }
        }
        return best != null && bestDistance <= Math.max(2, g.length() / 3)
                ? " (did you mean " + best.id() + " " + best.info().name() + "?)" : "";
    }
}
