package dev.migsafe.daemon;

import dev.migsafe.env.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.jgit.util.SystemReader;

/**
 * The resident process's loop: one Unix-domain socket per repository, requests served one at a
 * time (JGit's global SystemReader is swapped per request, and the parse cache is not
 * thread-safe: serial service is the simple correct choice; a second client waits in the
 * socket's backlog), and an exit after an idle timeout, when the socket file is removed or
 * replaced, when its own jar changes, or on a stop request.
 */
public final class Server implements AutoCloseable {

    /**
     * Runs one command line as the command-line tool would (Main.executeResident); an Error
     * thrown out of it is not a run's result: the request is refused (see {@link #run}).
     */
    @FunctionalInterface
    public interface Runner {
        int run(String[] args, PrintWriter out, PrintWriter err, RunContext context) throws Exception;
    }

    /**
     * @param identity the build it serves (see {@link Identity}); requests naming another are refused
     * @param currentIdentity the build on disk now; when it differs from identity the process leaves
     * @param environment the process's own environment: requests must agree on what is process-wide
     * @param status extra lines for the status answer
     */
    public record Settings(Path socket, String identity, Supplier<String> currentIdentity, Duration idleTimeout,
                           Map<String, String> environment, Supplier<String> status) {}

    /**
     * Variables that JGit and the JVM read once per process: which user and system git config
     * files apply (JGit caches them), the locale that decides how output is encoded, the JVM's
     * options. A request must have the process's values, else it is refused and the client runs
     * migsafe itself. Every other variable comes from the request, including `git -c`'s
     * GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT/KEY/VALUE, which name no file.
     */
    static final List<String> PROCESS_WIDE = List.of("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_NOSYSTEM",
            "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG", "LANG", "LC_ALL", "LC_CTYPE",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** Variables naming paths, which a relative value makes relative to the client's directory. */
    private static final List<String> PATH_VARIABLES = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
            "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY");
    private static final List<String> PATH_LIST_VARIABLES = List.of("GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_CEILING_DIRECTORIES");

    /** How long a connected client may take to send its request. */
    private static final long REQUEST_DEADLINE_MS = 5_000;
    /** How often the loop wakes to check that its socket file is still its own. */
    private static final long CHECK_EVERY_MS = 30_000;

    private final Settings settings;
    private final Runner runner;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ServerSocketChannel channel;
    private final Selector selector;
    private final Object socketKey;
    private final long started = System.currentTimeMillis();
    private volatile boolean stopping;
    private int served;

    private Server(Settings settings, Runner runner, FileChannel lockFile, FileLock lock, ServerSocketChannel channel,
                   Selector selector, Object socketKey) {
        this.settings = settings;
        this.runner = runner;
        this.lockFile = lockFile;
        this.lock = lock;
        this.channel = channel;
        this.selector = selector;
        this.socketKey = socketKey;
    }

    /**
     * Takes the repository's lock and binds its socket; null when another process holds the
     * lock (it serves the repository already). The socket's folder must have been checked.
     */
    public static Server bind(Settings settings, Runner runner) throws DaemonException {
        Path socket = settings.socket();
        FileChannel lockFile = null;
        try {
            lockFile = FileChannel.open(SocketDir.lockOf(socket), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockFile.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process (a test serving twice)
            }
            if (lock == null) {
                lockFile.close();
                return null;
            }
            // Holding the lock, any socket file left is a dead process's.
            Files.deleteIfExists(socket);
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
            return new Server(settings, runner, lockFile, lock, channel, selector, fileKey(socket));
        } catch (IOException | RuntimeException e) {
            if (lockFile != null) {
                try {
                    lockFile.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
            throw new DaemonException("cannot listen on " + socket + ": " + e.getMessage());
        }
    }

    /** Serves until stopped, idle for the timeout, or the socket file is no longer this process's. */
    public void serve() throws IOException {
        long idleMs = Math.max(1, settings.idleTimeout().toMillis());
        long last = System.currentTimeMillis();
        while (!stopping) {
            long left = idleMs - (System.currentTimeMillis() - last);
            if (left <= 0) {
                break;
            }
            selector.select(Math.min(left, CHECK_EVERY_MS));
            selector.selectedKeys().clear();
            SocketChannel client;
            while (!stopping && (client = channel.accept()) != null) {
                int before = served;
                try (SocketChannel c = client) {
                    handle(c);
                } catch (IOException | RuntimeException e) {
                    // one bad client never stops the service
                } catch (Error e) {
                    stop(); // out of memory outside a run (a huge answer): leave cleanly; the client runs migsafe itself
                }
                if (served != before) {
                    last = System.currentTimeMillis(); // only served runs keep it alive, not status or refusals
                }
            }
            if (!Objects.equals(socketKey, fileKey(settings.socket()))) {
                break; // removed or replaced: nobody can reach this process any more
            }
        }
    }

    /** Asks the loop to end (from another thread, or from a request). */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Removes the socket file if it is still this process's (for a shutdown hook: SIGTERM, SIGINT). */
    public void removeSocket() {
        try {
            if (Objects.equals(socketKey, fileKey(settings.socket()))) {
                Files.deleteIfExists(settings.socket());
            }
        } catch (IOException ignored) {
            // the next process replaces it
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
            if (Objects.equals(socketKey, fileKey(settings.socket()))) {
                Files.deleteIfExists(settings.socket());
            }
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // leaving anyway; a socket file left behind is replaced by the next process
        }
    }

    private void handle(SocketChannel client) throws IOException {
        Protocol.Request request;
        try {
            request = Protocol.parse(readRequest(client));
        } catch (Protocol.Malformed e) {
            write(client, refusal(e.getMessage()));
            return;
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        switch (request.kind()) {
            case Protocol.STOP -> {
                stop();
                Protocol.frame(answer, Protocol.EXIT, Protocol.exitPayload(0), 0, 4);
            }
            case Protocol.STATUS -> {
                byte[] text = status().getBytes(StandardCharsets.UTF_8);
                Protocol.frame(answer, Protocol.TEXT, text, 0, text.length);
                Protocol.frame(answer, Protocol.EXIT, Protocol.exitPayload(0), 0, 4);
            }
            case Protocol.RUN -> answer = run(request);
            default -> answer = refusal("unknown request");
        }
        write(client, answer);
    }

    private String status() {
        long up = (System.currentTimeMillis() - started) / 1000;
        return "pid " + ProcessHandle.current().pid() + "\n"
                + "build " + settings.identity() + "\n"
                + "up " + up + "s, " + served + (served == 1 ? " request" : " requests") + "\n"
                + "idle timeout " + settings.idleTimeout().toSeconds() + "s\n"
                + settings.status().get();
    }

    private ByteArrayOutputStream run(Protocol.Request request) throws IOException {
        if (!settings.identity().equals(request.identity())) {
            // The build the user runs now wins: this process leaves, so that one of the client's
            // build can take its place (MIGSAFE_DAEMON=auto starts it after the client's own run).
            stop();
            return refusal("this process runs another build of migsafe (" + settings.identity() + "); it is leaving");
        }
        String now = settings.currentIdentity().get();
        if (!settings.identity().equals(now)) {
            stop(); // its jar was rebuilt or removed: its code is no longer what clients run
            return refusal("the jar of this process changed since it started; it is leaving");
        }
        String differs = processWideDifference(request.env());
        if (differs != null) {
            return refusal("the request's " + differs + " differs from this process's");
        }
        if (request.args().isEmpty() || !request.args().get(0).equals("analyze")) {
            return refusal("only analyze is served");
        }
        Path cwd;
        try {
            cwd = Path.of(request.cwd());
        } catch (RuntimeException e) {
            return refusal("bad working directory");
        }
        if (!cwd.isAbsolute()) {
            return refusal("the working directory must be absolute");
        }
        Map<String, String> env = withAbsolutePaths(request.env(), cwd);
        RunContext context = new RunContext(cwd, env);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        // Standard output and error as Main.main makes them, writing frames in the order written.
        Charset charset = dev.migsafe.env.StandardOutput.charset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FrameStream(answer, Protocol.STDOUT), charset), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FrameStream(answer, Protocol.STDERR), charset), true);
        SystemReader previous = SystemReader.getInstance();
        SystemReader.setInstance(new RequestSystemReader(previous, env));
        int code;
        try {
            code = runner.run(request.args().toArray(String[]::new), out, err, context);
        } catch (Exception e) {
            return refusal("the run failed: " + e);
        } catch (StackOverflowError e) {
            // The input's doing, not this process's: the client's own run reports it.
            return refusal("the run failed: " + e);
        } catch (Error e) {
            // Out of memory or worse: whatever the run left half-built may be anywhere in this
            // process. The client runs migsafe in a JVM of its own (with a normal run's heap), and
            // this process leaves for a fresh one.
            stop();
            return refusal("the run failed: " + e + "; this process is leaving");
        } finally {
            SystemReader.setInstance(previous);
        }
        out.flush();
        err.flush();
        served++;
        Protocol.frame(answer, Protocol.EXIT, Protocol.exitPayload(code), 0, 4);
        return answer;
    }

    /** The first process-wide variable (see {@link #PROCESS_WIDE}) whose value differs, or null. */
    String processWideDifference(Map<String, String> requestEnv) {
        Map<String, String> mine = new TreeMap<>();
        Map<String, String> theirs = new TreeMap<>();
        settings.environment().forEach((k, v) -> {
            if (isProcessWide(k)) {
                mine.put(k, v);
            }
        });
        requestEnv.forEach((k, v) -> {
            if (isProcessWide(k)) {
                theirs.put(k, v);
            }
        });
        for (String name : union(mine, theirs)) {
            if (!Objects.equals(mine.get(name), theirs.get(name))) {
                return name;
            }
        }
        return null;
    }

    private static boolean isProcessWide(String name) {
        return PROCESS_WIDE.contains(name);
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
        TreeMap<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        return List.copyOf(all.keySet());
    }

    /** Path variables made absolute against the client's directory, as its own process would read them. */
    static Map<String, String> withAbsolutePaths(Map<String, String> env, Path cwd) {
        Map<String, String> out = new LinkedHashMap<>(env);
        for (String name : PATH_VARIABLES) {
            String v = out.get(name);
            if (v != null && !v.isEmpty()) {
                out.put(name, cwd.resolve(v).toString());
            }
        }
        for (String name : PATH_LIST_VARIABLES) {
            String v = out.get(name);
            if (v != null && !v.isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (String part : v.split(java.io.File.pathSeparator, -1)) {
                    if (b.length() > 0) {
                        b.append(java.io.File.pathSeparatorChar);
                    }
                    b.append(part.isEmpty() ? part : cwd.resolve(part).toString());
                }
                out.put(name, b.toString());
            }
        }
        return out;
    }

    private static ByteArrayOutputStream refusal(String reason) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        Protocol.frame(answer, Protocol.REFUSED, text, 0, text.length);
        return answer;
    }

    private static byte[] readRequest(SocketChannel client) throws IOException {
        long deadline = System.currentTimeMillis() + REQUEST_DEADLINE_MS;
        client.configureBlocking(false);
        try (Selector s = Selector.open()) {
            client.register(s, SelectionKey.OP_READ);
            ByteBuffer length = ByteBuffer.allocate(4);
            fill(client, s, length, deadline);
            int n = length.getInt(0);
            if (n < 0 || n > Protocol.MAX_REQUEST) {
                throw new Protocol.Malformed("request too large");
            }
            ByteBuffer body = ByteBuffer.allocate(n);
            fill(client, s, body, deadline);
            return body.array();
        } finally {
            client.configureBlocking(true);
        }
    }

    private static void fill(SocketChannel client, Selector s, ByteBuffer buffer, long deadline) throws IOException {
        while (buffer.hasRemaining()) {
            int r = client.read(buffer);
            if (r < 0) {
                throw new Protocol.Malformed("the client hung up");
            }
            if (r == 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new Protocol.Malformed("the client sent no request in time");
                }
                s.select(left);
                s.selectedKeys().clear();
            }
        }
    }

    private static void write(SocketChannel client, ByteArrayOutputStream answer) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(answer.toByteArray());
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
    }

    private static Object fileKey(Path socket) {
        try {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /** Everything written becomes a frame of its own type, in order. */
    private static final class FrameStream extends OutputStream {
        private final ByteArrayOutputStream answer;
        private final byte type;

        FrameStream(ByteArrayOutputStream answer, byte type) {
            this.answer = answer;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                Protocol.frame(answer, type, b, off, len);
            }
        }
    }
}
