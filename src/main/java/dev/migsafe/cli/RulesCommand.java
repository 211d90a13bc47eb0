package dev.migsafe.cli;

import dev.migsafe.report.RuleDocs;
import dev.migsafe.rules.RuleCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `migsafe rules`: every rule with its id, name, default severity and class, and what it flags. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List the rules.")
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(RuleDocs.table(RuleCatalog.all()));
        return ExitCodes.OK;
    }
}
