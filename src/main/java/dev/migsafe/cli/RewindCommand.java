package dev.migsafe.cli;

import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.graph.Rewind;
import java.io.PrintWriter;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe rewind FROM TO`: what to unapply before switching a database from FROM to TO. */
@Command(name = "rewind", mixinStandardHelpOptions = true,
        description = {"Before switching a database from branch FROM to branch TO: the migrations FROM has and TO lacks,",
                "the `manage.py migrate APP TARGET` lines to run first, and which of them cannot be reversed.",
                "Exit code 1 when an irreversible migration is in the way."})
final class RewindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "FROM", description = "The branch the database is on now.")
    String from;

    @Parameters(index = "1", paramLabel = "TO", description = "The branch to switch to.")
    String to;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GitRepository git = repoOptions.open()) {
            RevCommit fromCommit = git.commit(from);
            RangeAnalysis analysis = new RangeAnalysis(git, configOptions.atCommit(git, fromCommit), null);
            LoadedSnapshot a = analysis.load(fromCommit, from);
            LoadedSnapshot b = analysis.load(git.commit(to), to);
            List<Rewind.Step> steps = Rewind.plan(a, b);
            if (steps.isEmpty()) {
                out.println("nothing to unapply: every migration of " + from + " is also in " + to);
                out.flush();
                return ExitCodes.OK;
            }
            out.println("before switching from " + from + " to " + to + ", run:");
            boolean blocked = false;
            for (Rewind.Step s : steps) {
                out.println("  " + s.command() + "    # unapplies " + String.join(", ", s.unapply()));
                for (String why : s.irreversible()) {
                    out.println("    irreversible: " + why + " (the command above will fail)");
                    blocked = true;
                }
            }
            out.flush();
            return blocked ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }
}
