package dev.migsafe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.report.GraphReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe graph [REF]`: the migration graph of a commit as text, JSON or Graphviz dot. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Show the migration graph of a commit: nodes, dependencies, leaves per app,",
                "and the graph's problems (G001 multiple leaves, G003 missing dependency, G004 cycle, G008 duplicate number).",
                "Exit code 1 when the graph has errors."})
final class GraphCommand implements Callable<Integer> {

    enum Format { text, json, dot }

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(arity = "0..1", defaultValue = "HEAD", paramLabel = "REF", description = "The commit. Default: HEAD.")
    String ref;

    @Option(names = "--app", paramLabel = "LABEL", description = "Only this app.")
    String app;

    @Option(names = "--format", defaultValue = "text", description = "text, json or dot. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GitRepository git = repoOptions.open()) {
            RevCommit commit = git.commit(ref);
            LoadedSnapshot loaded = new RangeAnalysis(git, configOptions.atCommit(git, commit), null).load(commit, ref);
            if (app != null && !loaded.graph().apps().contains(app)) {
                throw new UserError("no app '" + app + "' at " + ref + "; its apps are: "
                        + String.join(", ", loaded.graph().apps()));
            }
            GraphReport report = new GraphReport(loaded, app);
            switch (format) {
                case text -> out.print(report.text());
                case json -> out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(report.json()));
                default -> out.print(report.dot());
            }
            out.flush();
            // Graph errors, and files that could not be read (the graph is incomplete without them).
            boolean errors = loaded.findings().stream()
                    .filter(f -> f.rule().startsWith("G") || f.rule().equals(dev.migsafe.migration.Diagnostic.UNREADABLE))
                    .anyMatch(f -> f.severity() == dev.migsafe.migration.Severity.ERROR && (app == null || app.equals(f.app())));
            return errors ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }
}
