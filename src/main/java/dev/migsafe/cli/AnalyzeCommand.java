package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.config.LockTimeout;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.graph.RangeAnalysis;
import dev.migsafe.migration.Severity;
import dev.migsafe.report.AnalyzeReport;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.ConfiguredPolicy;
import dev.migsafe.rules.DjangoVersion;
import dev.migsafe.rules.FindingPolicy;
import dev.migsafe.rules.Settings;
import dev.migsafe.rules.suppress.Baseline;
import dev.migsafe.rules.suppress.Suppressions;
import dev.migsafe.state.Database;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `migsafe analyze [RANGE]`: the migrations a range adds or changes, and what is wrong with them. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse the migrations that RANGE adds or changes.",
                "RANGE: A...B (merge-base(A,B) against B), A..B (A against B), REF (DEFAULT...REF);",
                "nothing: HEAD against its merge base with the default branch."})
final class AnalyzeCommand implements Callable<Integer> {

    enum FailOn { error, warning, never }

    static final class Source {
        @Option(names = "--staged", description = "The index against HEAD (pre-commit).")
        boolean staged;

        @Option(names = "--worktree", description = "The working tree against HEAD.")
        boolean worktree;

        @Option(names = "--all", description = "Every migration at HEAD (an audit).")
        boolean all;
    }

    @Spec
    CommandSpec spec;

    /** Where the report goes when the command was read without picocli (AnalyzeArgs); else picocli's out. */
    PrintWriter out;

    @Mixin
    RepoOptions repoOptions;

    @Mixin
    ConfigOptions configOptions;

    @ArgGroup(exclusive = true)
    Source source;

    @Parameters(arity = "0..*", paramLabel = "RANGE|FILE", description = {"A...B, A..B or REF; or migration files "
            + "(paths ending in .py, as pre-commit passes them): those of them that the index or the work tree "
            + "changes against HEAD are analysed, in the project as staged."})
    List<String> operands = new ArrayList<>();

    /** The RANGE operand; for FILE operands their paths, as RangeAnalysis.run takes them (set by mode()). */
    String range;

    @Mixin
    OutputOptions output;

    // No default here: when not given, the configuration's fail-on applies (see failOn).
    @Option(names = "--fail-on", description = "error, warning or never. Default: the configuration's fail-on, else error.")
    FailOn failOn;

    @Option(names = "--database", paramLabel = "DB", description = "postgresql (default), mysql or sqlite: decides column types, locks and notes.")
    String database;

    @Option(names = "--django", paramLabel = "VERSION", description = "The project's Django version (e.g. 5.1): fixes use what it has (db_default needs 5.0).")
    String django;

    @Option(names = "--baseline", paramLabel = "FILE", description = "The baseline to apply (default: the configuration's `baseline`, else .migsafe-baseline.json at the repository root when it exists).")
    File baselineFile;

    @Option(names = "--no-baseline", description = "Apply no baseline: report every finding.")
    boolean noBaseline;

    /** Set by `baseline write`: receives the findings this run reports, instead of applying a baseline. */
    Baseline.Recorder recorder;

    @Option(names = "--default-branch", paramLabel = "REF", description = "The default branch (else origin/HEAD, origin/main, origin/master, main, master).")
    String defaultBranch;

    /** The commit whose configuration applies: the range's head side. */
    private String headRef(RangeAnalysis.Mode mode) {
        return switch (mode) {
            case THREE_DOT -> range.substring(range.indexOf("...") + 3).isEmpty() ? "HEAD" : range.substring(range.indexOf("...") + 3);
            case TWO_DOT -> range.substring(range.indexOf("..") + 2).isEmpty() ? "HEAD" : range.substring(range.indexOf("..") + 2);
            case REF -> range;
            default -> "HEAD";
        };
    }

    /**
     * What the rules know of the project: --database and --django win over the configuration;
     * the PostgreSQL release is the configured one, else the oldest the Django version supports.
     */
    Settings settings(Config config) {
        Database db = Settings.DEFAULT.database();
        if (database != null) {
            db = Database.of(database);
            if (db == null) {
                throw new UserError("--database must be postgresql, mysql or sqlite, not '" + database + "'");
            }
        } else if (config.database() != null) {
            db = Database.of(config.database()); // checked when the configuration was read
        }
        DjangoVersion version = null;
        if (django != null) {
            version = DjangoVersion.parse(django);
            if (version == null) {
                throw new UserError("--django must be a version such as 5.1, not '" + django + "'");
            }
        } else if (config.django() != null) {
            version = DjangoVersion.parse(config.django());
        }
        return new Settings(db, version, config.customOperations(), config.postgresql(),
                db == Database.POSTGRESQL ? lockTimeout(config) : null);
    }

    /**
     * The lock_timeout in effect during migrate: the configuration's `lock-timeout` (0 declares
     * none, and the settings are not read), else what the project's settings set, else none.
     */
    private LockTimeout lockTimeout(Config config) {
        return config.lockTimeout() != null ? config.lockTimeout() : configOptions.settingsLockTimeout();
    }

    @Override
    public Integer call() throws Exception {
        RangeAnalysis.Mode mode = mode();
        try (GitRepository git = repoOptions.open()) {
            Config config = loadConfig(git, mode);
            Settings settings = settings(config);
            RangeAnalysis.Result result = new RangeAnalysis(git, config, defaultBranch).run(mode, range);
            FindingPolicy policy = policy(git, config, result);
            Analysis analysis = new Analyzer(settings, config.swappable()).withPolicy(policy)
                    .withDeployed(result.base(), history(git, result.base()))
                    .run(result.head(), AnalyzeReport.analysedKeys(result), mode == RangeAnalysis.Mode.ALL);
            AnalyzeReport report = new AnalyzeReport(result, analysis, settings, Version.current(), policy);
            return write(report, failOn(config));
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** How many changes of a models file are searched for the one that removed a field (satisfied findings only). */
    private static final int HISTORY_DEPTH = 200;

    /** The deployed side's history, when it is a commit. */
    private static dev.migsafe.deployed.History history(GitRepository git, dev.migsafe.git.Snapshot base) {
        if (base == null || base.commitId() == null) {
            return dev.migsafe.deployed.History.NONE;
        }
        String from = base.commitId();
        return (path, declared) -> {
            org.eclipse.jgit.revwalk.RevCommit c = git.lastRemoving(from, path, declared, HISTORY_DEPTH);
            return c == null ? null : c.abbreviate(10).name();
        };
    }

    /** Which side of the repository is analysed against which. */
    private RangeAnalysis.Mode mode() {
        if (!operands.isEmpty() && source != null) {
            throw new UserError("give either a RANGE (or FILEs) or one of --staged, --worktree, --all, not both");
        }
        // A migration is a .py file; a git revision practically never ends so.
        boolean files = !operands.isEmpty() && operands.stream().allMatch(o -> o.endsWith(".py"));
        if (operands.size() > 1 && !files) {
            throw new UserError("give one RANGE, or migration files (paths ending in .py): " + String.join(" ", operands));
        }
        if (files) {
            range = RangeAnalysis.files(operands);
            return RangeAnalysis.Mode.FILES;
        }
        range = operands.isEmpty() ? null : operands.get(0);
        return source != null && source.staged ? RangeAnalysis.Mode.STAGED
                : source != null && source.worktree ? RangeAnalysis.Mode.WORKTREE
                : source != null && source.all ? RangeAnalysis.Mode.ALL
                : RangeAnalysis.modeOf(range);
    }

    /**
     * The configuration: --config, else from the work tree for --staged/--worktree, else from the
     * analysed commit (the range's head side).
     */
    private Config loadConfig(GitRepository git, RangeAnalysis.Mode mode) throws GitException {
        return mode == RangeAnalysis.Mode.STAGED || mode == RangeAnalysis.Mode.WORKTREE || mode == RangeAnalysis.Mode.FILES
                ? configOptions.inWorkTree(git) : configOptions.atCommit(git, git.commit(headRef(mode)));
    }

    /**
     * The project's decisions about findings, in this order: the suppressions written in the files
     * (they need the head's comments, hence the result), the baseline, then the configuration. While
     * `baseline write` records, the old baseline is not applied and the recorder comes last, so it
     * records what this run would report.
     */
    private FindingPolicy policy(GitRepository git, Config config, RangeAnalysis.Result result) {
        FindingPolicy policy = Suppressions.of(result.head(), AnalyzeReport.analysedKeys(result));
        if (recorder != null) {
            recorder.to(BaselineCommand.locate(git, baselineFile, config, true));
        } else if (!noBaseline) {
            Path file = BaselineCommand.locate(git, baselineFile, config, false);
            if (file != null) {
                policy = policy.then(BaselineCommand.read(file).policy(result.head()));
            }
        }
        // The configuration last (before the recorder): it also sees X001/X002, so they can be disabled too.
        policy = policy.then(ConfiguredPolicy.of(config));
        return recorder == null ? policy : policy.then(recorder.on(result.head()));
    }

    /** --fail-on, else the configuration's fail-on, else error. */
    private FailOn failOn(Config config) {
        return failOn != null ? failOn : config.failOn() != null ? FailOn.valueOf(config.failOn()) : FailOn.error;
    }

    /** Prints the report in the chosen format (or writes it to --output); the exit code follows fail-on. */
    private int write(AnalyzeReport report, FailOn failOn) throws Exception {
        output.emit(output.render(report), out != null ? out : spec.commandLine().getOut());
        int failing = switch (failOn) {
            case error -> report.count(Severity.ERROR);
            case warning -> report.count(Severity.ERROR) + report.count(Severity.WARNING);
            case never -> 0;
        };
        return failing > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
