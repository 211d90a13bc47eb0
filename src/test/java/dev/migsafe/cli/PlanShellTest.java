package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `plan --format shell` against a real database: a Django project (fixtures/plan/project, SQLite)
 * migrated to FROM with Django itself, then the script brings it to TO, and the way back it prints
 * brings it back. Needs a python3 with Django (Debian's python3-django, which `.ci/run` installs);
 * skipped, saying so, where there is none.
 */
class PlanShellTest {

    @TempDir
    Path temp;

    record Result(int code, String out) {}

    private static String python() {
        for (String p : List.of("python3", "/usr/bin/python3")) {
            try {
                Process pr = new ProcessBuilder(p, "-c", "import django").redirectErrorStream(true).start();
                if (pr.waitFor(60, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return p;
                }
            } catch (Exception e) {
                // not this one
            }
        }
        return null;
    }

    private Result sh(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Result(p.exitValue(), out);
    }

    /** The rows of django_migrations for the project's apps, sorted "app.name". */
    private List<String> applied(String python, Path db) throws Exception {
        Result r = sh(temp, Map.of(), python, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                + "print('\\n'.join(sorted(a+'.'+n for a,n in c.execute(\"select app, name from django_migrations "
                + "where app in ('shop','blog')\"))))", db.toString());
        assertEquals(0, r.code(), r.out());
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void theScriptBringsTheDatabaseToToAndItsWayBackBringsItBack() throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 with Django here (Debian's python3-django): the shell plan "
                + "is not run against a database");
        try (GitScenario repo = GitScenario.create(temp.resolve("site"))) {
            repo.copy("plan/project", ".").copy("plan/base", ".").commit("base").branch("v1").branch("v2")
                    .copy("plan/reversible", ".").commit("release");
            Path db = temp.resolve("site.sqlite3");
            Map<String, String> env = Map.of("PLAN_TEST_DB", db.toString(), "MANAGE", python + " manage.py");
            // The site is at v1: Django migrates an empty database to v1's migrations.
            for (String target : List.of("shop 0001_initial", "blog 0001_initial")) {
                List<String> cmd = new ArrayList<>(List.of(python, "manage.py", "migrate"));
                cmd.addAll(List.of(target.split(" ")));
                Result r = sh(repo.dir(), env, cmd.toArray(String[]::new));
                assertEquals(0, r.code(), r.out());
            }
            List<String> before = applied(python, db);
            assertEquals(List.of("blog.0001_initial", "shop.0001_initial"), before);

            StringWriter out = new StringWriter();
            int code = Main.run(new String[] {"plan", "--repo", repo.dir().toString(), "v1", "v2", "--format", "shell",
                    "--rollout-command", "echo rollout"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
            assertEquals(0, code, out.toString());
            Path script = temp.resolve("plan.sh");
            Files.writeString(script, out.toString());

            Result run = sh(repo.dir(), env, "sh", script.toString());
            assertEquals(0, run.code(), run.out());
            assertTrue(run.out().contains("rollout"), run.out());
            assertEquals(List.of("blog.0001_initial", "blog.0002_post_order", "shop.0001_initial",
                    "shop.0002_order_channel", "shop.0003_remove_order_note"), applied(python, db));

            // The way back after the last step, as the script prints it, run as printed.
            Result back = sh(repo.dir(), env, "sh", script.toString(), "back", "3");
            assertEquals(0, back.code(), back.out());
            for (String line : back.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                Result r = sh(repo.dir(), env, "sh", "-c", line);
                assertEquals(0, r.code(), line + "\n" + r.out());
            }
            assertEquals(before, applied(python, db));
        }
    }
}
