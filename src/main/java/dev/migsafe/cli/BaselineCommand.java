package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitRepository;
import dev.migsafe.rules.suppress.Baseline;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `migsafe baseline write`: records today's findings so that later `analyze` runs report only new
 * ones (docs/suppressions.md). It runs `analyze --all` itself, so the baseline holds exactly what
 * analyze reports for every migration at HEAD, with the same configuration and suppressions.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Record today's findings so that later runs report only new ones.",
        subcommands = BaselineCommand.Write.class)
final class BaselineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: migsafe baseline write");
    }

    @Command(name = "write", mixinStandardHelpOptions = true,
            description = {"Analyse every migration at HEAD (as `analyze --all`) and record its findings in the baseline file.",
                    "Later `analyze` runs mark findings found there as suppressed (reason \"baseline\") and count them."})
    static final class Write implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--baseline", paramLabel = "FILE",
                description = "Where to write (default: the configuration's `baseline`, else .migsafe-baseline.json at the repository root).")
        File baselineFile;

        @Option(names = "--database", paramLabel = "DB", description = "As for analyze: postgresql (default), mysql or sqlite.")
        String database;

        @Option(names = "--django", paramLabel = "VERSION", description = "As for analyze: the project's Django version.")
        String django;

        @Option(names = "--config", paramLabel = "FILE", description = "As for analyze: the configuration file to use.")
        File config;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--all", "--fail-on", "never", "--repo", repoOptions.repo.getPath()));
            if (baselineFile != null) {
                args.addAll(List.of("--baseline", baselineFile.getPath()));
            }
            if (database != null) {
                args.addAll(List.of("--database", database));
            }
            if (django != null) {
                args.addAll(List.of("--django", django));
            }
            if (config != null) {
                args.addAll(List.of("--config", config.getPath()));
            }
            AnalyzeCommand analyze = new AnalyzeCommand();
            CommandLine cli = new CommandLine(analyze);
            cli.setOut(new PrintWriter(Writer.nullWriter())); // the report is not wanted, only its findings
            try {
                cli.parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new UserError(e.getMessage());
            }
            analyze.recorder = new Baseline.Recorder();
            analyze.call();
            Baseline baseline = analyze.recorder.baseline();
            Path file = analyze.recorder.file();
            // Committed and reviewed: no control or bidi character from a migration may hide text in it (JSON escapes).
            write(file, dev.migsafe.report.Printable.escape(baseline.json(Version.current())), repoRoot(repoOptions));
            int n = baseline.entries().size();
            PrintWriter out = spec.commandLine().getOut();
            out.println("migsafe: recorded " + n + (n == 1 ? " finding" : " findings")
                    + " of every migration at HEAD in " + file);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The work tree's root (opened again: analyze has closed it), or null for a bare repository. */
    private static Path repoRoot(RepoOptions options) {
        try (GitRepository git = options.open()) {
            File root = git.workTree();
            return root == null ? null : root.toPath().toAbsolutePath().normalize();
        }
    }

    /**
     * Writes the baseline to a regular file only: a new one, or one replaced whole (its mode
     * kept). A symlink is followed only to a regular file inside the repository ({@code root});
     * a folder, FIFO, device or socket, or a symlink out of the repository, is refused and left
     * as it is: the path may come from a configuration the pull request wrote, and root may be
     * the one running this (a device node replaced by JSON breaks the machine).
     */
    static void write(Path file, String json, Path root) {
        Path target = file;
        String kind = ReplaceFile.kind(file);
        if (ReplaceFile.SYMLINK.equals(kind)) {
            try {
                target = file.toRealPath();
            } catch (IOException e) {
                throw new UserError("cannot write the baseline " + file + ": it is a symbolic link that leads nowhere");
            }
            if (root == null || !InsideRepository.contains(root, target)) {
                throw new UserError("cannot write the baseline " + file + ": it is a symbolic link out of the repository (to "
                        + target + ")");
            }
            kind = ReplaceFile.kind(target);
            if (!ReplaceFile.REGULAR.equals(kind)) {
                throw new UserError("cannot write the baseline " + file + ": it is a symbolic link to " + kind
                        + ", not to a regular file");
            }
        } else if (kind != null && !ReplaceFile.REGULAR.equals(kind)) {
            throw new UserError("cannot write the baseline " + file + ": it is " + kind + ", not a regular file");
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            ReplaceFile.write(target, json.getBytes(StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            throw new UserError("cannot write the baseline " + file + ": " + IoErrors.reason(e));
        }
    }

    /**
     * The baseline file: --baseline (relative to the current directory; the user's own choice,
     * anywhere), else the configuration's `baseline` (relative to the repository root, and inside
     * it: see {@link InsideRepository}), else .migsafe-baseline.json at the root. For reading,
     * null when only the default applies and it does not exist.
     */
    static Path locate(GitRepository git, File option, Config config, boolean writing) {
        if (option != null) {
            return RunContext.current().resolve(option.toPath());
        }
        String configured = config.baseline();
        File root = git.workTree();
        if (root == null) {
            if (configured != null || writing) {
                throw new UserError("a bare repository has no work tree to hold the baseline "
                        + (configured != null ? configured : Baseline.DEFAULT_FILE) + ": pass --baseline FILE");
            }
            return null;
        }
        if (configured != null) {
            return InsideRepository.resolve(root.toPath(), configured, config.source() + ": 'baseline'");
        }
        Path file = root.toPath().resolve(Baseline.DEFAULT_FILE).normalize();
        if (!writing && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            // The default file may be a symlink the pull request committed: it is read only inside the
            // repository, as a configured path is (baseline write checks what it replaces itself).
            return InsideRepository.resolve(root.toPath(), Baseline.DEFAULT_FILE, "the baseline");
        }
        return writing ? file : null;
    }

    static Baseline read(Path file) {
        try {
            return Baseline.read(file);
        } catch (Baseline.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }
}
