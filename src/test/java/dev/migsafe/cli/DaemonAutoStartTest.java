package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import dev.migsafe.daemon.Client;
import dev.migsafe.daemon.SocketDir;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MIGSAFE_DAEMON=auto: a normal analyze run leaves a resident process behind for the next ones. */
class DaemonAutoStartTest {

    @TempDir
    Path tmp;

    @Test
    void anAnalyzeRunStartsOneOnlyInAutoMode() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        GitScenario.create(repo).copy("shop", "shop").commit("shop project").close();
        Files.createDirectories(tmp.resolve("run"));
        Path socket;
        try (GitRepository git = GitRepository.open(repo.toFile())) {
            socket = SocketDir.socketOf(tmp.resolve("run/migsafe"), git.commonDir());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        env.remove(DaemonCommand.MODE);

        RunContext.with(new RunContext(repo, env), () -> {
            DaemonCommand.startIfAuto(new String[] {"analyze", "--staged"});
            return null;
        });
        assertFalse(Files.exists(tmp.resolve("run/migsafe")), "nothing without MIGSAFE_DAEMON=auto");

        env.put(DaemonCommand.MODE, "auto");
        env.put(DaemonCommand.IDLE, "2m");
        RunContext.with(new RunContext(repo, env), () -> {
            DaemonCommand.startIfAuto(new String[] {"graph"});
            return null;
        });
        assertFalse(Files.exists(socket), "only analyze starts one");
        try {
            RunContext.with(new RunContext(repo, env), () -> {
                DaemonCommand.startIfAuto(new String[] {"analyze", "--staged"});
                return null;
            });
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Client.answers(socket) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Client.answers(socket), "a process answers");
            StringWriter out = new StringWriter();
            int code = Main.execute(new String[] {"daemon", "status"}, new PrintWriter(out), new PrintWriter(new StringWriter()),
                    new RunContext(repo, env));
            assertEquals(0, code);
            assertTrue(out.toString().contains("idle timeout 120s"), out.toString());
        } finally {
            Main.execute(new String[] {"daemon", "stop"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                    new RunContext(repo, env));
        }
        assertFalse(Client.answers(socket));
    }
}
