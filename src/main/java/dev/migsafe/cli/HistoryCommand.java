package dev.migsafe.cli;

import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.HistoryWalker;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe history [REF]`: migrations through a branch's history. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Walk history once: when each migration appeared, shipped migrations edited later,",
                "past divergences (merges whose parents each added migrations to one app) and the merge",
                "migrations that resolved them."})
final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(arity = "0..1", defaultValue = "HEAD", paramLabel = "REF", description = "Default: HEAD.")
    String ref;

    @Option(names = "--appearances", description = "Also list when every migration first appeared.")
    boolean appearances;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GitRepository git = repoOptions.open()) {
            long start = System.nanoTime();
            RevCommit head = git.commit(ref);
            configOptions.atCommit(git, head); // its include/exclude decide which files are migrations
            HistoryWalker.History h = new HistoryWalker(git).walk(head);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("history of %s: %d commits, %d migration files, %d edits of shipped migrations "
                            + "(%d cosmetic), %d past divergences; %d blobs parsed in %.1f s%n", ref, h.commits(),
                    h.appearances().size(), h.edits().size(), h.edits().stream().filter(HistoryWalker.Edit::cosmetic).count(),
                    h.divergences().size(), h.blobsParsed(), seconds);
            if (appearances) {
                out.println("\nfirst appearances:");
                for (HistoryWalker.Appearance a : h.appearances()) {
                    out.println("  " + a.commit().substring(0, 10) + "  " + a.path());
                }
            }
            if (!h.edits().isEmpty()) {
                out.println("\nedits of shipped migrations:");
                for (HistoryWalker.Edit e : h.edits()) {
                    out.println("  " + e.commit().substring(0, 10) + "  " + (e.cosmetic() ? "cosmetic " : "REAL     ") + e.path());
                }
            }
            if (!h.divergences().isEmpty()) {
                out.println("\npast divergences:");
                for (HistoryWalker.PastDivergence d : h.divergences()) {
                    out.println("  merge " + d.mergeCommit().substring(0, 10) + "  " + d.app() + ": "
                            + String.join(", ", d.first()) + "  |  " + String.join(", ", d.second())
                            + (d.resolvedBy() == null ? "  (no merge migration or renumbering found)" : "  resolved by " + d.resolvedBy()));
                }
            }
            if (!h.unreadable().isEmpty()) {
                // The history around these files is incomplete: said, and the exit code of a finding.
                out.println("\nfiles that could not be read (P006):");
                h.unreadable().forEach(u -> out.println("  " + u));
            }
            out.flush();
            return h.unreadable().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }
}
