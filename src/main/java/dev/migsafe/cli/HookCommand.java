package dev.migsafe.cli;

import dev.migsafe.env.RunContext;
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
import java.util.Map;
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

    /** The line that marks a hook as migsafe's (see {@link OwnHook} for what makes a hook ours). */
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
            Map<String, String> env = RunContext.current().environment();
            GitRepository.HooksDir hooks;
            Path gitSays;
            try (GitRepository git = repoOptions.open()) {
                if (git.workTree() == null) {
                    // Nobody commits or pushes from a bare repository: its hooks would never run.
                    throw new UserError("the repository is bare: install the hook in a clone you commit in");
                }
                hooks = git.hooksDir(env::get);
                gitSays = git.hooksDirAsGitSays(env);
            } catch (GitException e) {
                throw new UserError(e.getMessage());
            }
            if (gitSays != null && !sameFolder(gitSays, hooks.path())) {
                // A setting migsafe does not read (includeIf, `git -c`, GIT_CONFIG_COUNT): git knows best,
                // but where the setting comes from is unknown, so it may be shared like a global one.
                if (!force) {
                    throw new UserError("git runs hooks from " + gitSays + ", not from " + hooks.path()
                            + " (core.hooksPath is set where migsafe does not read it, such as an includeIf);"
                            + " run with --force to install there");
                }
                hooks = new GitRepository.HooksDir(gitSays, true);
            }
            if (hooks.shared() && !force) {
                throw new UserError("core.hooksPath (" + hooks.path() + ") comes from your global or system git config, "
                        + "so a hook there runs in every repository that uses it; run with --force to install there anyway");
            }
            List<String> launcher = launcher();
            // Check every hook before writing any: a refusal leaves nothing half-installed.
            List<String> before = new ArrayList<>();
            for (String name : names) {
                Path file = hooks.path().resolve(name);
                before.add(check(file, name, launcher));
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Path file = hooks.path().resolve(name);
                write(file, HookScripts.script(name, launcher));
                spec.commandLine().getOut().println("migsafe: " + before.get(i) + " the " + name + " hook: " + file);
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

        /**
         * What installing at {@code file} does ("installed", "updated", "replaced"), or a refusal:
         * a hook that is not ours (a regular file of another shape, or a symlink: we never make
         * one) is replaced only with --force, and then the link itself, never what it points to;
         * a folder, FIFO or device is never replaced (nor opened: a FIFO would block).
         */
        private String check(Path file, String name, List<String> launcher) {
            String kind = ReplaceFile.kind(file);
            if (kind == null) {
                return "installed";
            }
            if (!ReplaceFile.REGULAR.equals(kind) && !ReplaceFile.SYMLINK.equals(kind)) {
                throw new UserError(file + " is " + kind + ", not a hook file: remove it to install the " + name + " hook");
            }
            if (ReplaceFile.REGULAR.equals(kind) && OwnHook.isOurs(file, name)) {
                return "updated";
            }
            if (!force) {
                throw new UserError(file + (ReplaceFile.SYMLINK.equals(kind)
                        ? " is a symbolic link, not migsafe's hook; run with --force to replace the link itself"
                        : " exists and is not migsafe's; run with --force to replace it")
                        + ", or call `" + String.join(" ", launcher) + " analyze --staged` from it");
            }
            return "replaced";
        }

        /** Whether two paths name the same folder (symlinks resolved where they exist). */
        private static boolean sameFolder(Path a, Path b) {
            return real(a).equals(real(b));
        }

        /** The path with its longest existing start resolved to its real path. */
        private static Path real(Path p) {
            Path absolute = p.toAbsolutePath().normalize();
            Path existing = absolute;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return absolute;
            }
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
            } catch (IOException e) {
                return absolute;
            }
        }

        /** Writes the hook whole, executable, replacing whatever file or link was there. */
        private static void write(Path file, String script) {
            try {
                Files.createDirectories(file.getParent());
                ReplaceFile.write(file, script.getBytes(StandardCharsets.UTF_8),
                        file.getFileSystem().supportedFileAttributeViews().contains("posix")
                                ? PosixFilePermissions.fromString("rwxr-xr-x") : null);
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
