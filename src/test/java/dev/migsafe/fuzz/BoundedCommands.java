package dev.migsafe.fuzz;

import dev.migsafe.cli.Main;
import dev.migsafe.env.RunContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs migsafe command lines in process the way the command line does ({@link Main#execute}: the
 * large-stack thread, the error handlers), each on a thread of its own with a time bound, with
 * standard output and error kept as strings.
 */
final class BoundedCommands implements AutoCloseable {

    /** A command's outcome: exit code (-1 when there is none), output, error, time, whether it timed out, what it threw. */
    record Outcome(int code, String out, String err, long nanos, boolean timedOut, Throwable thrown) {}

    private ExecutorService executor;
    private int leaked;

    /** Threads of timed-out runs that could not be stopped so far. */
    int leaked() {
        return leaked;
    }

    Outcome call(String[] args, Duration limit) {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-runner");
                t.setDaemon(true);
                return t;
            });
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        long start = System.nanoTime();
        Future<Integer> run = executor.submit(() -> Main.execute(args, new PrintWriter(out), new PrintWriter(err, true), RunContext.process()));
        try {
            int code = run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(code, out.toString(), err.toString(), System.nanoTime() - start, false, null);
        } catch (TimeoutException e) {
            long nanos = System.nanoTime() - start;
            run.cancel(true);
            executor.shutdownNow();
            executor = null;
            stopThreadsStartedSince(before);
            return new Outcome(-1, "", err.toString(), nanos, true, null);
        } catch (ExecutionException e) {
            return new Outcome(-1, out.toString(), err.toString(), System.nanoTime() - start, false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A run past its bound would go on using a core for minutes (or for ever), and distort every
     * later time: the threads it started (ours, the large-stack one, its workers) are stopped.
     * Thread.stop is deprecated and may leave shared state of the stopped code inconsistent; the
     * run is over for that command anyway. Where stopping is not possible, or fails, the thread
     * is counted as leaked.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private void stopThreadsStartedSince(Set<Thread> before) {
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t != Thread.currentThread()).toList();
        for (Thread t : started) {
            try {
                t.stop();
            } catch (UnsupportedOperationException | SecurityException e) {
                t.interrupt();
            }
        }
        for (Thread t : started) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                leaked++;
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
