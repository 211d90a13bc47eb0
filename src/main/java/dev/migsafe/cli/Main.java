package dev.migsafe.cli;

import dev.migsafe.env.RunContext;
import dev.migsafe.python.BigStack;
import dev.migsafe.report.Printable;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Wires the subcommands; each lives in its own class. */
@Command(name = "migsafe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Static safety analysis of Django migrations, read straight from git.",
        subcommands = {AnalyzeCommand.class, DivergenceCommand.class, GraphCommand.class, HistoryCommand.class, RewindCommand.class, PlanCommand.class, BaselineCommand.class, HookCommand.class, DaemonCommand.class, RulesCommand.class, ExplainCommand.class, ParseCommand.class, BenchmarkCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) throws Exception {
        // Straight to the file descriptors, not through System.out/err: a PrintStream swallows the
        // reason of a failed write (a full disk, a closed pipe), which the error should name.
        Charset charset = dev.migsafe.env.StandardOutput.charset();
        OutputSink out = new OutputSink(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), charset)));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), charset), true);
        int code = execute(args, out, err, RunContext.process());
        DaemonCommand.startIfAuto(args);
        System.exit(code);
    }

    /**
     * Runs one command line on a thread with a large stack, in a working directory and
     * environment: main runs it in the process's own, the resident process in its client's
     * (the same call path, so that even --debug's stack traces are the same).
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, RunContext context) throws Exception {
        try {
            return BigStack.call(() -> RunContext.with(context, () -> run(args, out, err)));
        } catch (Error e) {
            return Failures.error(e, args, err); // out of BigStack itself, outside run
        }
    }

    /**
     * {@link #execute} for the resident process: the Java heap, the stack or the JVM failing is
     * left to the server, which refuses the request (its client then runs migsafe in a JVM of
     * its own, with the heap a normal run has) and leaves.
     */
    public static int executeResident(String[] args, PrintWriter out, PrintWriter err, RunContext context) throws Exception {
        return BigStack.call(() -> RunContext.with(context, () -> runShown(args, out, err)));
    }

    /** Runs one command line; used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return runShown(args, out, err);
        } catch (Error e) {
            return Failures.error(e, args, err);
        }
    }

    /**
     * What the command writes goes through {@link Printable}: every character an analysed file
     * could put there that a terminal would act on is shown escaped, whatever the command, the
     * format or the stream. Then a failed write to standard output is an error of its own.
     */
    private static int runShown(String[] args, PrintWriter out, PrintWriter err) {
        PrintWriter shownOut = new PrintWriter(Printable.writer(out), false);
        PrintWriter shownErr = new PrintWriter(Printable.writer(err), true);
        int code = dispatch(args, shownOut, shownErr);
        shownOut.flush();
        if (out.checkError()) {
            shownErr.println("migsafe: cannot write to standard output: " + Failures.writeReason(out));
            code = ExitCodes.USAGE;
        }
        shownErr.flush();
        return code;
    }

    private static int dispatch(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        // What hooks run is read without picocli's command model (AnalyzeArgs); the rest, and
        // every line it does not fully understand, goes through picocli.
        AnalyzeCommand analyze = AnalyzeArgs.parse(args);
        if (analyze != null) {
            analyze.out = out;
            int code;
            try {
                code = analyze.call();
            } catch (Exception e) {
                code = failed(e, err, debug);
            }
            out.flush();
            return code;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // The output is escaped (runShown): picocli's own colours would show as escapes.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setParameterExceptionHandler(UsageErrors::handle);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, err, debug));
        int code = cli.execute(args);
        out.flush();
        return code;
    }

    /** An exception out of a command: one sentence for a {@link UserError}, exit code 2. */
    private static int failed(Exception e, PrintWriter err, boolean debug) {
        if (e instanceof UserError u) {
            err.println("migsafe: " + u.getMessage());
        } else {
            err.println("migsafe: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }
}
