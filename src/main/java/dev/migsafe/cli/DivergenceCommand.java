package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.ChangeSet;
import dev.migsafe.graph.Divergence;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import dev.migsafe.report.FindingJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe divergence REF...`: would merging these refs leave an app with two leaves? */
@Command(name = "divergence", mixinStandardHelpOptions = true,
        description = {"Simulate merging refs: G002 when two refs each added migrations to one app since their",
                "merge base, G009 when both touch the same model or field. With one REF, it is compared",
                "with the default branch. Exit code 1 on errors."})
final class DivergenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    enum Format { text, json }

    @Parameters(arity = "0..*", paramLabel = "REF", description = "Branches or commits.")
    List<String> refs = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--all-branches",
            description = "Check every local and remote-tracking branch against each other and print a conflict matrix.")
    boolean allBranches;

    @picocli.CommandLine.Option(names = "--format", defaultValue = "text", description = "text or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GitRepository git = repoOptions.open()) {
            List<String> all = new ArrayList<>(refs);
            if (allBranches) {
                all = git.branches();
            } else if (all.isEmpty()) {
                throw new UserError("give one or more refs, or --all-branches");
            }
            // The configuration of the first ref given applies (labels and settings rarely differ between branches).
            Config config = configOptions.atCommit(git, git.commit(all.get(0)));
            if (all.size() == 1) {
                String main = git.defaultBranch(config.defaultBranch());
                if (main == null) {
                    throw new UserError("give two refs, or create a default branch (main or master, or default-branch"
                            + " in the configuration) to compare with");
                }
                all.add(0, main);
            }
            RangeAnalysis analysis = new RangeAnalysis(git, config, null);
            List<Finding> findings = new ArrayList<>();
            String[][] matrix = new String[all.size()][all.size()];
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    List<Finding> found = pair(git, analysis, all.get(i), all.get(j));
                    findings.addAll(found);
                    String cell = found.stream().anyMatch(f -> f.rule().equals("G002")) ? "G002"
                            : found.isEmpty() ? "." : "G009";
                    matrix[i][j] = cell;
                    matrix[j][i] = cell;
                }
            }
            // Files missing from the clone: the comparison above is incomplete where they lie.
            findings.addAll(analysis.unreadable());
            long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
            if (format == Format.json) {
                com.fasterxml.jackson.databind.node.ObjectNode doc = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                doc.put("schema", "migsafe/divergence/1");
                all.forEach(doc.putArray("refs")::add);
                doc.set("findings", FindingJson.list(findings));
                out.println(new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } else {
                for (Finding f : findings) {
                    out.println(FindingJson.text(f));
                }
                if (allBranches) {
                    printMatrix(out, all, matrix);
                }
                out.println((findings.isEmpty() ? "no divergence between " : findings.size() + " findings between ")
                        + String.join(", ", all));
            }
            out.flush();
            return errors > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Rows and columns are the branches; G002 = two leaves after merging, G009 = same field touched. */
    private static void printMatrix(PrintWriter out, List<String> names, String[][] matrix) {
        int width = names.stream().mapToInt(String::length).max().orElse(4);
        out.println();
        for (int i = 0; i < names.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-" + width + "s ", names.get(i)));
            for (int j = 0; j < names.size(); j++) {
                row.append(String.format(" %4s", i == j ? "-" : matrix[i][j])).append(' ');
            }
            out.println(row.toString().stripTrailing() + "   [" + (i + 1) + "]");
        }
        out.println("columns follow the same order; G002: merging leaves two leaf migrations, G009: both touch one field, .: clean");
    }

    private static List<Finding> pair(GitRepository git, RangeAnalysis analysis, String a, String b) throws GitException {
        RevCommit ca = git.commit(a);
        RevCommit cb = git.commit(b);
        List<RevCommit> bases = git.mergeBases(ca, cb);
        if (bases.isEmpty() || bases.contains(ca) || bases.contains(cb)) {
            return List.of(); // unrelated, or one contains the other: a fast-forward adds no leaf
        }
        LoadedSnapshot base = analysis.load(bases, "merge-base");
        LoadedSnapshot sa = analysis.load(ca, a);
        LoadedSnapshot sb = analysis.load(cb, b);
        return Divergence.between(new Divergence.Side(a, sa, ChangeSet.between(base, sa)),
                new Divergence.Side(b, sb, ChangeSet.between(base, sb)));
    }
}
