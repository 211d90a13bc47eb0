package dev.migsafe.cli;

import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `migsafe hook install`: git hooks that run migsafe before a commit or a push. */
@Command(name = "hook", mixinStandardHelpOptions = true, subcommands = HookCommand.Install.class,
        description = "Git hooks that run migsafe (see `migsafe hook install --help`).")
final class HookCommand implements Callable<Integer> {

    /** The line that marks a hook as migsafe's: only such a hook is ever replaced without --force. */
    static final String MARKER = "# migsafe hook";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install git hooks that run migsafe.",
                    "pre-commit (the default): analyze --staged, the staged migrations against HEAD.",
                    "pre-push: each pushed commit against the default branch.",
                    "Hooks go where git looks for them (core.hooksPath, else .git/hooks).",
                    "A hook that is not migsafe's is replaced only with --force.",
                    "`git commit --no-verify` skips the hook."})
    static final class Install implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--pre-commit", description = "Install the pre-commit hook (the default when no hook is named).")
        boolean preCommit;

        @Option(names = "--pre-push", description = "Install the pre-push hook.")
        boolean prePush;

        @Option(names = "--force", description = "Replace existing hooks that are not migsafe's.")
        boolean force;

        @Override
        public Integer call() {
            List<String> names = new ArrayList<>();
            if (preCommit || !prePush) {
                names.add("pre-commit");
            }
            if (prePush) {
                names.add("pre-push");
            }
            GitRepository.HooksDir hooks;
            try (GitRepository git = repoOptions.open()) {
                if (git.workTree() == null) {
                    // Nobody commits or pushes from a bare repository: its hooks would never run.
                    throw new UserError("the repository is bare: install the hook in a clone you commit in");
                }
                hooks = git.hooksDir();
            } catch (GitException e) {
                throw new UserError(e.getMessage());
            }
            if (hooks.shared() && !force) {
                throw new UserError("core.hooksPath (" + hooks.path() + ") comes from your global or system git config, "
                        + "so a hook there runs in every repository that uses it; run with --force to install there anyway");
            }
            List<String> launcher = launcher();
            // Check every hook before writing any: a refusal leaves nothing half-installed.
            for (String name : names) {
                Path file = hooks.path().resolve(name);
                if (Files.exists(file) && !force && !isOurs(file)) {
                    throw new UserError(file + " exists and is not migsafe's; run with --force to replace it, "
                            + "or call `" + String.join(" ", launcher) + " analyze --staged` from it");
                }
            }
            for (String name : names) {
                Path file = hooks.path().resolve(name);
                String before = Files.exists(file) ? (isOurs(file) ? "updated" : "replaced") : "installed";
                write(file, HookScripts.script(name, launcher));
                spec.commandLine().getOut().println("migsafe: " + before + " the " + name + " hook: " + file);
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

        private static boolean isOurs(Path file) {
            try {
                return Files.readString(file, StandardCharsets.ISO_8859_1).contains(MARKER);
            } catch (IOException e) {
                return false;
            }
        }

        private static void write(Path file, String script) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, script, StandardCharsets.UTF_8);
                if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            } catch (IOException e) {
                throw new UserError("cannot write " + file + ": " + IoErrors.reason(e));
            }
        }
    }

    /**
     * The command that starts this migsafe, as a hook must write it: the launcher script when
     * started by it (it passes its own path), else this very JVM and class path (e.g. `java -jar
     * migsafe.jar`, or a test run from target/classes). Paths are absolute: hooks run elsewhere.
     */
    static List<String> launcher() {
        String script = System.getProperty("migsafe.launcher");
        if (script != null && !script.isBlank()) {
            return List.of(new File(script).getAbsolutePath());
        }
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.add(new File(entry).getAbsolutePath());
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                String.join(File.pathSeparator, classPath), Main.class.getName());
    }
}
