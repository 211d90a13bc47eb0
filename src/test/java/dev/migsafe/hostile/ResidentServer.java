package dev.migsafe.hostile;

import dev.migsafe.cli.Main;
import dev.migsafe.daemon.Identity;
import dev.migsafe.daemon.Server;
import dev.migsafe.daemon.SocketDir;
import dev.migsafe.git.GitRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A resident process for a repository, served on a thread of this JVM, counting the runs it serves. */
final class ResidentServer {

    private ResidentServer() {}

    record Serving(Server server, Thread thread, Path socket, Path jar, Map<String, String> env, AtomicInteger runs)
            implements AutoCloseable {

        int served() {
            return runs.get();
        }

        @Override
        public void close() throws InterruptedException {
            server.stop();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            server.close();
        }
    }

    /** The environment both sides see: the test's, without what would change the run or refuse the request. */
    static Map<String, String> environment(Path runDir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("MIGSAFE_") || k.endsWith("JAVA_OPTIONS"));
        env.put("XDG_RUNTIME_DIR", runDir.toString());
        return env;
    }

    static Serving serve(Path repo, Path runDir) throws Exception {
        return serve(repo, runDir, Main::executeResident);
    }

    static Serving serve(Path repo, Path runDir, Server.Runner runner) throws Exception {
        Files.createDirectories(runDir);
        Path socketDir = SocketDir.prepare(runDir.resolve("migsafe"));
        Path socket;
        try (GitRepository git = GitRepository.open(repo.toFile())) {
            socket = SocketDir.socketOf(socketDir, git.commonDir());
        }
        Path jar = Files.writeString(runDir.resolve("migsafe.jar"), "a build of migsafe");
        String identity = Identity.of(jar);
        Map<String, String> env = environment(runDir);
        AtomicInteger runs = new AtomicInteger();
        Server.Settings settings = new Server.Settings(socket, identity, () -> identity, Duration.ofMinutes(5), env, () -> "");
        Server server = Server.bind(settings, (args, out, err, context) -> {
            runs.incrementAndGet();
            return runner.run(args, out, err, context);
        });
        Thread thread = new Thread(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "hostile-resident-process");
        thread.start();
        return new Serving(server, thread, socket, jar, env, runs);
    }
}
