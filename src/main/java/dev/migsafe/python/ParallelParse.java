package dev.migsafe.python;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Parses, on every core, the files that the parse cache does not have, before they are read one
 * by one: a first run (an empty cache: every file of the project) spends nearly all its time
 * parsing, and each file parses on its own. The results are primed into the cache
 * ({@link ParseCache#prime}), so the reading that follows finds them as if cached and builds the
 * models in order, and writes each entry once. Bytes are fetched on the calling thread (JGit's
 * reader is not thread-safe); each thread parses with a {@link ModuleParser} of its own (ANTLR's
 * shared prediction cache is thread-safe) and on a large stack, as {@link BigStack} gives the
 * main work.
 */
public final class ParallelParse {

    /** A file to parse: its blob id, its path (for messages) and its bytes. */
    public record Source(String blobId, String path, Supplier<byte[]> bytes) {}

    /** Fewer missing files than this are parsed where they are read: threads would not pay. */
    static final int MIN_FILES = 16;

    private ParallelParse() {}

    /** More threads than this gain little for the few thousand files of a project. */
    static final int MAX_THREADS = 8;

    /** Parses the sources the cache misses, on as many threads as there are cores (at most 8). */
    public static void prime(List<Source> sources, ParseCache cache) {
        prime(sources, cache, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    static void prime(List<Source> sources, ParseCache cache, int threads) {
        prime(sources, cache, threads, () -> {
            ModuleParser parser = new ModuleParser(ParseCache.inMemory());
            return parser::parse;
        });
    }

    /** How one thread parses a file (a test replaces it to fail on a thread). */
    interface Parsing {
        ModuleParser.Parsed parse(byte[] bytes, String path);
    }

    /**
     * With the parser each thread makes. What a thread throws never ends the thread with a trace
     * on stderr: an exception leaves its file to the reading in order (which reports it for that
     * file); running out of memory (several large files at once) stops the priming, whose files
     * are then parsed one at a time in order, where running out of memory again is the run's
     * error; any other Error is a bug, thrown again on the calling thread once all have stopped.
     */
    static void prime(List<Source> sources, ParseCache cache, int threads, Supplier<Parsing> parsers) {
        if (threads < 2 || !cache.remembers() || sources.size() < MIN_FILES) {
            return;
        }
        List<Source> missing = new ArrayList<>();
        for (Source s : sources) {
            if (s.blobId() != null && cache.get(s.blobId()) == null) {
                missing.add(s);
            }
        }
        if (missing.size() < MIN_FILES) {
            return;
        }
        byte[][] bytes = new byte[missing.size()][];
        for (int i = 0; i < bytes.length; i++) {
            try {
                bytes[i] = missing.get(i).bytes().get();
            } catch (RuntimeException e) {
                bytes[i] = null; // read (and reported) where the file is read in order
            }
        }
        ModuleParser.Parsed[] parsed = new ModuleParser.Parsed[bytes.length];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Error> failure = new AtomicReference<>();
        Runnable work = () -> {
            try {
                Parsing parser = parsers.get();
                for (int i = next.getAndIncrement(); i < bytes.length && failure.get() == null; i = next.getAndIncrement()) {
                    if (bytes[i] != null) {
                        try {
                            parsed[i] = parser.parse(bytes[i], missing.get(i).path());
                        } catch (RuntimeException e) {
                            parsed[i] = null; // parsed again in order, where a failure is reported
                        }
                    }
                }
            } catch (Error e) {
                failure.compareAndSet(null, e); // the others stop at their next file
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread thread = new Thread(null, work, "migsafe-parse-" + t, BigStack.STACK_BYTES);
            thread.setDaemon(true);
            try {
                thread.start();
            } catch (OutOfMemoryError e) {
                break; // no memory for another thread's stack: fewer threads
            }
            helpers.add(thread);
        }
        work.run();
        for (Thread thread : helpers) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // whatever was not primed is parsed in order
            }
        }
        Error error = failure.get();
        if (error instanceof OutOfMemoryError) {
            return; // nothing primed: memory is short, and the reading in order parses one file at a time
        }
        if (error != null) {
            throw error;
        }
        for (int i = 0; i < parsed.length; i++) {
            if (parsed[i] != null) {
                cache.prime(missing.get(i).blobId(), parsed[i]);
            }
        }
    }
}
