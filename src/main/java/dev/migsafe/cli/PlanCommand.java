package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.AppliedMigrations;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.graph.UpgradePlan;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Severity;
import dev.migsafe.report.PlanReport;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.DjangoVersion;
import dev.migsafe.rules.MigrationVerdict;
import dev.migsafe.rules.Settings;
import dev.migsafe.state.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe plan [FROM] [TO]`: the upgrade of a deployed site, step by step, and the way back. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"The upgrade of a site from FROM (the code it runs, or --applied: what its database applied)",
                "to TO (default HEAD): the migrate commands before the rollout, the rollout, the post-deploy",
                "migrations after it; each migration's class, reversibility and findings; and for every step",
                "the commands that take the database back. Exit 1 when a planned migration has a finding at or",
                "above --fail-on; 2 on bad input."})
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(arity = "0..2", paramLabel = "REV", description = "FROM and TO (one REV: TO, with --applied; none: TO is HEAD).")
    List<String> revs = new ArrayList<>();

    @Option(names = "--applied", paramLabel = "FILE", description = {"What a site's database applied: `manage.py showmigrations`",
            "(list or --plan) or `app,name` lines; `-` reads stdin. Repeat for several sites."})
    List<String> applied = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json, markdown (a release checklist) or shell (a script for one site).")
    String format = "text";

    @Option(names = "--rollout-command", paramLabel = "CMD", description = "With --format shell: the command the script runs between the phases (else it stops there).")
    String rolloutCommand;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "error (default), warning, info or never.")
    String failOn = "error";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!List.of("text", "json", "markdown", "shell").contains(format)) {
            throw new UserError("--format must be text, json, markdown or shell, not '" + format + "'");
        }
        if (format.equals("shell") && applied.size() > 1) {
            throw new UserError("--format shell writes the script of one site: give one --applied (or FROM) per run");
        }
        Severity threshold = switch (failOn) {
            case "error" -> Severity.ERROR;
            case "warning" -> Severity.WARNING;
            case "info" -> Severity.INFO;
            case "never" -> null;
            default -> throw new UserError("--fail-on must be error, warning, info or never, not '" + failOn + "'");
        };
        if (applied.isEmpty() && revs.isEmpty()) {
            throw new UserError("say where the site is: `migsafe plan FROM [TO]` (the code it runs) or "
                    + "`migsafe plan --applied FILE [TO]` (what its database applied)");
        }
        if (!applied.isEmpty() && revs.size() > 1) {
            throw new UserError("with --applied, give only TO (the site's state comes from the file)");
        }
        String toRev = applied.isEmpty() ? (revs.size() > 1 ? revs.get(1) : "HEAD") : (revs.isEmpty() ? "HEAD" : revs.get(0));
        try (GitRepository git = repoOptions.open()) {
            RevCommit toCommit = git.commit(toRev);
            Config config = configOptions.atCommit(git, toCommit);
            RangeAnalysis analysis = new RangeAnalysis(git, config, null);
            LoadedSnapshot to = analysis.load(toCommit, toRev);
            Map<String, String> swappable = new HashMap<>(MigrationGraph.DEFAULT_SWAPPABLE);
            swappable.putAll(config.swappable());
            List<PlanReport.Site> sites = new ArrayList<>();
            if (applied.isEmpty()) {
                LoadedSnapshot from = analysis.load(git.commit(revs.get(0)), revs.get(0));
                Set<MigrationKey> had = new LinkedHashSet<>(from.graph().nodes().keySet());
                for (String app : to.graph().apps()) {
                    if (!from.graph().apps().contains(app)) {
                        // An app label of TO that FROM's code did not have may be Django's own (auth): its rows are there.
                        dev.migsafe.graph.DjangoContrib.MIGRATIONS.getOrDefault(app, List.of())
                                .forEach(name -> had.add(new MigrationKey(app, name)));
                    }
                }
                sites.add(site(revs.get(0), "the code of " + revs.get(0), had, to, swappable, config));
            } else {
                for (String file : applied) {
                    AppliedMigrations a = read(file);
                    String name = file.equals("-") ? "stdin" : Path.of(file).getFileName().toString();
                    sites.add(site(name, "what " + name + " lists as applied", a.applied(), to, swappable, config));
                }
            }
            out.print(switch (format) {
                case "json" -> PlanReport.json(sites, toRev);
                case "markdown" -> PlanReport.markdown(sites, toRev);
                case "shell" -> dev.migsafe.report.PlanScript.render(sites.get(0), toRev, rolloutCommand);
                default -> PlanReport.text(sites, toRev);
            });
            out.flush();
            return threshold != null && sites.stream().anyMatch(s -> reaches(s, threshold)) ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }

    private PlanReport.Site site(String name, String from, Set<MigrationKey> appliedKeys, LoadedSnapshot to,
                                 Map<String, String> swappable, Config config) {
        UpgradePlan plan = UpgradePlan.compute(to, new LinkedHashSet<>(appliedKeys), swappable);
        Map<MigrationKey, MigrationVerdict> verdicts = new HashMap<>();
        if (!plan.order().isEmpty()) {
            Analysis a = new Analyzer(settings(config), config.swappable()).run(to, new LinkedHashSet<>(plan.order()), false);
            a.migrations().forEach(v -> verdicts.put(v.key(), v));
        }
        return new PlanReport.Site(name, from, plan, verdicts);
    }

    private static Settings settings(Config config) {
        Database db = config.database() == null ? Settings.DEFAULT.database() : Database.of(config.database());
        DjangoVersion version = config.django() == null ? null : DjangoVersion.parse(config.django());
        return new Settings(db, version, config.customOperations(), config.postgresql(), null);
    }

    private static boolean reaches(PlanReport.Site s, Severity threshold) {
        if (!s.plan().refusals().isEmpty()) {
            return true; // the upgrade cannot run as planned: as serious as an error
        }
        for (MigrationKey k : s.plan().order()) {
            MigrationVerdict v = s.verdicts().get(k);
            if (v != null) {
                for (Finding f : v.findings()) {
                    if (!f.isSuppressed() && !f.rule().equals("L216") && f.severity().compareTo(threshold) >= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private AppliedMigrations read(String file) throws IOException {
        String text;
        try {
            text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("--applied " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("--applied " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            return AppliedMigrations.read(text);
        } catch (AppliedMigrations.BadLine e) {
            throw new UserError(file + ":" + e.line() + ": " + e.getMessage());
        }
    }
}
