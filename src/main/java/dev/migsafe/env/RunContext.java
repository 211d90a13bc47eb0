package dev.migsafe.env;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where a run happens: its working directory (relative paths on the command line are taken from
 * it) and its environment. A normal run takes both from the process; the resident process
 * (docs/decisions/0008-resident-process.md) takes them from the client's request, because its
 * own working directory and environment are those of whoever started it. Every relative path
 * and every environment variable the commands read goes through {@link #current()} (never
 * {@code System.getenv}, {@code user.dir} or a relative {@code Path}/{@code File} used as is).
 * The context belongs to the thread: work a run hands to threads of its own that needs it must
 * pass it on with {@link #with}.
 *
 * @param workingDirectory absolute
 * @param environment the variables as the run's process would see them
 */
public record RunContext(Path workingDirectory, Map<String, String> environment) {

    private static final RunContext PROCESS = new RunContext(Path.of("").toAbsolutePath(), System.getenv());

    private static final ThreadLocal<RunContext> CURRENT = new ThreadLocal<>();

    public RunContext {
        if (!workingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute: " + workingDirectory);
        }
        environment = Map.copyOf(environment);
    }

    /** The process's own working directory and environment. */
    public static RunContext process() {
        return PROCESS;
    }

    /** The context of the run on this thread: the one {@link #with} set, else the process's. */
    public static RunContext current() {
        RunContext c = CURRENT.get();
        return c != null ? c : PROCESS;
    }

    /** Runs work on this thread in a context (restoring the previous one afterwards). */
    public static <T> T with(RunContext context, Callable<T> work) throws Exception {
        RunContext previous = CURRENT.get();
        CURRENT.set(context);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** An environment variable, or null. */
    public String getenv(String name) {
        return environment.get(name);
    }

    /**
     * A path from the command line, taken from the working directory when relative (the same
     * path {@code new File(path).getAbsoluteFile()} gives in a process started there).
     */
    public Path resolve(String path) {
        return resolve(Path.of(path));
    }

    public Path resolve(Path path) {
        return path.isAbsolute() ? path : workingDirectory.resolve(path);
    }

    public File resolve(File file) {
        return file.isAbsolute() ? file : new File(workingDirectory.toFile(), file.getPath());
    }
}
