package dev.migsafe.cli;

import dev.migsafe.daemon.Client;
import dev.migsafe.daemon.DaemonException;
import dev.migsafe.daemon.Identity;
import dev.migsafe.daemon.Protocol;
import dev.migsafe.daemon.Server;
import dev.migsafe.daemon.SocketDir;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.python.ParseCache;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `migsafe daemon start|stop|status`: the resident process that answers the pre-commit hook's
 * `analyze` without starting a JVM (docs/decisions/0008-resident-process.md).
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        subcommands = {DaemonCommand.Start.class, DaemonCommand.Stop.class, DaemonCommand.Status.class, DaemonCommand.Serve.class},
        description = {"A resident process per repository that answers `analyze` (the pre-commit hook) in a fraction "
                + "of a JVM's start-up; clients fall back to a normal run when it is absent.",
                "Opt in with `migsafe daemon start`, or MIGSAFE_DAEMON=auto to start it on the first run "
                        + "(MIGSAFE_DAEMON=off: never use it). It leaves after an idle timeout (MIGSAFE_DAEMON_IDLE, default 15m)."})
final class DaemonCommand implements Callable<Integer> {

    /** The environment variable that opts in (auto) or out (off). */
    static final String MODE = "MIGSAFE_DAEMON";
    static final String IDLE = "MIGSAFE_DAEMON_IDLE";
    static final String JAVA_OPTS = "MIGSAFE_DAEMON_JAVA_OPTS";
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    /** Parsed migrations kept in memory across requests (encoded size; saleor's 1,430 take about 10 MB). */
    static final long RESIDENT_BYTES = 128L << 20;
    static final int WARM_UP_RUNS = 10;
    static final long WARM_UP_MS = 5_000;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    /** The repository a command is about, and where its socket is. */
    record Target(Path commonDir, Path repoDir, Path socketDir, Path socket) {}

    static Target target(RepoOptions repo) {
        try (GitRepository git = repo.open()) {
            Path common = git.commonDir();
            File workTree = git.workTree();
            Path dir = SocketDir.locate(RunContext.current().environment());
            return new Target(common, workTree != null ? workTree.toPath().toAbsolutePath() : common, dir,
                    SocketDir.socketOf(dir, common));
        } catch (DaemonException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start the repository's resident process in the background (one per repository; "
                    + "a process of another migsafe build is replaced)."})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--idle-timeout", paramLabel = "DURATION",
                description = "Leave after this long without a request: 500ms, 30s, 15m, 2h. Default: MIGSAFE_DAEMON_IDLE, else 15m.")
        String idleTimeout;

        @Override
        public Integer call() throws Exception {
            Duration idle = idleTimeout != null ? duration("--idle-timeout", idleTimeout) : configuredIdle();
            Target t = target(repoOptions);
            try {
                SocketDir.prepare(t.socketDir());
            } catch (DaemonException e) {
                throw new UserError(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            String identity = Identity.of(Identity.codeSource());
            String running = buildOf(t.socket());
            if (identity.equals(running)) {
                out.println("migsafe: a resident process already serves " + t.commonDir());
                out.flush();
                return ExitCodes.OK;
            }
            if (running != null) {
                stopAndWait(t.socket());
            }
            Process p;
            try {
                p = spawn(t, idle);
            } catch (IOException e) {
                throw new UserError("cannot start the resident process: " + IoErrors.reason(e));
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Client.answers(t.socket())) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new UserError("the resident process did not start; see " + SocketDir.logOf(t.socket()));
                }
                Thread.sleep(50);
            }
            out.println("migsafe: resident process started for " + t.commonDir() + " (pid " + p.pid()
                    + "); it leaves after " + show(idle) + " without a request");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the repository's resident process.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Override
        public Integer call() throws Exception {
            Target t = target(repoOptions);
            PrintWriter out = spec.commandLine().getOut();
            if (!Client.answers(t.socket())) {
                out.println("migsafe: no resident process serves " + t.commonDir());
            } else {
                stopAndWait(t.socket());
                out.println("migsafe: stopped the resident process of " + t.commonDir());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Whether a resident process serves the repository (exit 0) or not (exit 1), and what it holds."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Override
        public Integer call() {
            Target t = target(repoOptions);
            PrintWriter out = spec.commandLine().getOut();
            List<Protocol.Frame> frames;
            try {
                frames = Client.status(t.socket());
            } catch (IOException e) {
                out.println("migsafe: no resident process serves " + t.commonDir());
                out.flush();
                return ExitCodes.FINDINGS;
            }
            out.println("migsafe: a resident process serves " + t.commonDir());
            for (Protocol.Frame f : frames) {
                if (f.type() == Protocol.TEXT) {
                    f.text().lines().forEach(line -> out.println("  " + line));
                }
            }
            out.println("  socket " + t.socket());
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The process itself (what start runs in the background); in the foreground for debugging. */
    @Command(name = "serve", hidden = true, description = "Serve in the foreground.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--idle-timeout", paramLabel = "DURATION")
        String idleTimeout;

        @Override
        public Integer call() throws Exception {
            Duration idle = idleTimeout != null ? duration("--idle-timeout", idleTimeout) : configuredIdle();
            Target t = target(repoOptions);
            Path codeSource = Identity.codeSource();
            String identity = Identity.of(codeSource);
            Server.Settings settings = new Server.Settings(t.socket(), identity, () -> Identity.of(codeSource), idle,
                    RunContext.current().environment(),
                    () -> "repository " + t.commonDir() + "\nin memory: " + ParseCache.residentSummary() + "\n");
            return serve(settings, t, true);
        }
    }

    /** Binds and serves until the process should leave; 0 also when another process serves already. */
    static int serve(Server.Settings settings, Target t, boolean warmUp) throws Exception {
        try {
            SocketDir.prepare(t.socketDir());
        } catch (DaemonException e) {
            throw new UserError(e.getMessage());
        }
        ParseCache.keepResident(RESIDENT_BYTES);
        Server server;
        try {
            server = Server.bind(settings, Main::executeResident);
        } catch (DaemonException e) {
            throw new UserError(e.getMessage());
        }
        if (server == null) {
            return ExitCodes.OK; // another process holds the repository's lock: it serves
        }
        Thread removeSocket = new Thread(server::removeSocket, "migsafe-daemon-exit");
        Runtime.getRuntime().addShutdownHook(removeSocket);
        try (server) {
            if (warmUp) {
                // Loads the classes, fills the memory with HEAD's models and lets the JIT compile
                // the hot code before the first real request (a request takes about half as long
                // after ten runs as after two); a few seconds at most, in the background.
                PrintWriter none = new PrintWriter(Writer.nullWriter());
                long until = System.currentTimeMillis() + WARM_UP_MS;
                for (int i = 0; i < WARM_UP_RUNS && System.currentTimeMillis() < until; i++) {
                    Main.execute(new String[] {"analyze", "--staged", "--repo", t.repoDir().toString()}, none, none,
                            RunContext.current());
                }
            }
            server.serve();
        } finally {
            Runtime.getRuntime().removeShutdownHook(removeSocket);
        }
        return ExitCodes.OK;
    }

    /**
     * After a normal run: with MIGSAFE_DAEMON=auto and no process serving the repository, starts
     * one in the background for the next runs (never waits for it; never fails the run).
     */
    static void startIfAuto(String[] args) {
        RunContext context = RunContext.current();
        if (!"auto".equals(context.getenv(MODE)) || args.length == 0 || !args[0].equals("analyze")) {
            return;
        }
        String repo = ".";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help") || args[i].equals("-V") || args[i].equals("--version")) {
                return;
            }
            if (args[i].equals("--repo") && i + 1 < args.length) {
                repo = args[i + 1];
            } else if (args[i].startsWith("--repo=")) {
                repo = args[i].substring("--repo=".length());
            }
        }
        try {
            RepoOptions options = new RepoOptions();
            options.repo = new File(repo);
            Target t = target(options);
            SocketDir.prepare(t.socketDir());
            if (!Files.exists(t.socket()) || !Client.answers(t.socket())) {
                spawn(t, configuredIdle());
            }
        } catch (Exception | LinkageError e) {
            // the run's own result stands; the process may start next time
        }
    }

    /** The answering process's build, or null when none answers. */
    private static String buildOf(Path socket) {
        try {
            for (Protocol.Frame f : Client.status(socket)) {
                if (f.type() == Protocol.TEXT) {
                    for (String line : f.text().split("\n")) {
                        if (line.startsWith("build ")) {
                            return line.substring("build ".length());
                        }
                    }
                }
            }
            return "";
        } catch (IOException e) {
            return null;
        }
    }

    private static void stopAndWait(Path socket) throws InterruptedException {
        try {
            Client.stop(socket);
        } catch (IOException e) {
            return;
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (Files.exists(socket) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * Starts `daemon serve` in a JVM of its own: the same Java and class path, tuned for a
     * long-lived process (C2, the serial collector, a heap that gives memory back), in a session
     * of its own where setsid exists (so that closing the terminal or Ctrl-C in it does not
     * stop it), its output in a log beside the socket.
     */
    static Process spawn(Target t, Duration idle) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                command.add(setsid);
                break;
            }
        }
        command.add(java);
        String opts = RunContext.current().getenv(JAVA_OPTS);
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        } else {
            command.addAll(List.of("-Xlog:disable", "-Xlog:all=error:stderr", "-XX:+UseSerialGC", "-Xmx512m",
                    "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:-OmitStackTraceInFastThrow"));
        }
        String launcher = System.getProperty("migsafe.launcher");
        if (launcher != null) {
            command.add("-Dmigsafe.launcher=" + launcher);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon", "serve",
                "--repo", t.repoDir().toString(), "--idle-timeout", idle.toMillis() + "ms"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(new File("/"));
        pb.environment().clear();
        pb.environment().putAll(RunContext.current().environment());
        // Not the caller's repository pointers (a hook's GIT_DIR, its temporary GIT_INDEX_FILE):
        // each request brings its own. The GIT_CONFIG* variables stay: requests must match them.
        pb.environment().keySet().removeIf(name -> name.startsWith("GIT_") && !name.startsWith("GIT_CONFIG"));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(SocketDir.logOf(t.socket()).toFile()));
        return pb.start();
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static Duration duration(String what, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserError(what + " must be a number and a unit (500ms, 30s, 15m, 2h), not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** MIGSAFE_DAEMON_IDLE, else 15 minutes (an unreadable value is an error for start and serve). */
    static Duration configuredIdle() {
        String text = RunContext.current().getenv(IDLE);
        return text == null || text.isBlank() ? DEFAULT_IDLE : duration(IDLE, text);
    }

    private static String show(Duration d) {
        long ms = d.toMillis();
        return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 ? ms / 60_000 + "m"
                : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
