package dev.migsafe.cli;

import dev.migsafe.report.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The failures of a run that no command catches, in one sentence each and exit code 2: the JVM
 * running out of heap or stack, any other Error, and standard output refusing the report.
 * Without this, an Error ends the JVM with its raw trace and exit code 1, the code of
 * "findings", which a CI job would read as a verdict on the migrations; and a report that never
 * reached its reader would end with the code of a complete run.
 */
final class Failures {

    private static final long GB = 1L << 30;

    private Failures() {}

    static int error(Error e, String[] args, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        String message;
        if (e instanceof OutOfMemoryError) {
            message = outOfMemory(args);
        } else if (e instanceof StackOverflowError) {
            message = "out of stack space while running `" + command(args) + "`: an input is nested too deeply to analyse";
        } else {
            message = "internal error: " + e + (debug ? "" : " (run with --debug for details)");
        }
        err.println(Printable.escape("migsafe: " + message));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Names the limit the run hit and how to raise it: both launchers (bin/migsafe and the
     * wheel's) start Java with MIGSAFE_JAVA_OPTS instead of their own flags when it is set, and
     * every JVM reads JAVA_TOOL_OPTIONS (the resident process is then not used: its heap is its own).
     */
    static String outOfMemory(String[] args) {
        long max = Runtime.getRuntime().maxMemory();
        boolean limited = max != Long.MAX_VALUE;
        long more = limited ? Math.max(1, (2 * max + GB - 1) / GB) : 4;
        String xmx = "-Xmx" + more + "g";
        return "out of memory while running `" + command(args) + "`"
                + (limited ? " (a Java heap of " + (max >> 20) + " MB)" : "")
                + "; raise the limit with MIGSAFE_JAVA_OPTS=" + xmx + " (read by the migsafe launchers) or JAVA_TOOL_OPTIONS=" + xmx;
    }

    /** The command a line runs ("migsafe analyze"), for messages: its other arguments may be long. */
    static String command(String[] args) {
        return args.length == 0 || args[0].isEmpty() || args[0].startsWith("-") ? "migsafe" : "migsafe " + args[0];
    }

    /** Why writing to a stream failed, when the stream kept the reason ({@link OutputSink}). */
    static String writeReason(PrintWriter out) {
        IOException failure = out instanceof OutputSink sink ? sink.failure() : null;
        return failure == null ? "the write failed" : IoErrors.reason(failure);
    }
}
