package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.migsafe.GitScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `migsafe plan`: the upgrade of deployed sites, from fixtures/plan committed in temp repositories. */
class PlanCommandTest {

    @TempDir
    Path temp;

    record Run(int code, String out, String err) {}

    private Run run(GitScenario repo, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--repo");
        all.add(2, repo.dir().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** base on main (tag-like branch "v1"), the release on "v2"; with the squash on "v3". */
    private GitScenario project() {
        return GitScenario.create(temp.resolve("repo")).copy("plan/base", ".").commit("base").branch("v1")
                .branch("v2").copy("plan/release", ".").commit("release");
    }

    private Path applied(String name, String text) throws Exception {
        Path p = temp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aPlainUpgradeInStepsWithPhasesCrossAppOrderAndTheWayBack() {
        try (GitScenario repo = project()) {
            Run r = run(repo, "plan", "v1", "v2");
            String t = r.out();
            assertEquals(1, r.code(), t + r.err()); // C103 (downtime) is an error
            assertTrue(t.contains("5 migrations to apply"), t);
            // Django's order: the blog leaf first (sorted), its dependencies depth first, then shop's leaf.
            int s1 = t.indexOf("step 1: python manage.py migrate shop 0002_order_channel");
            int s2 = t.indexOf("step 2: python manage.py migrate blog 0004_rename_title");
            int rollout = t.indexOf("the rollout: deploy v2's code");
            int s3 = t.indexOf("step 3: python manage.py migrate\n");
            assertTrue(s1 > 0 && s2 > s1 && rollout > s2 && s3 > rollout, t);
            assertTrue(t.indexOf("blog.0002_post_order") < t.indexOf("blog.0003_backfill_channel")
                    && t.indexOf("blog.0003_backfill_channel") < t.indexOf("blog.0004_rename_title"), t);
            assertTrue(t.contains("shop.0003_remove_order_note"), t);
            // After step 2, back to v1: blog (touched last) first, then shop.
            assertTrue(t.contains("back to the code of v1: python manage.py migrate blog 0001_initial; "
                    + "python manage.py migrate shop 0001_initial"), t);
            assertTrue(t.contains("blog.0003_backfill_channel cannot be unapplied: restore the backup taken before step 2"), t);
            assertTrue(t.contains("maintenance window: needed for step 2"), t);
            assertTrue(t.contains("backup: take one before step 2 (irreversible: blog.0003_backfill_channel)"), t);
            assertTrue(t.contains("blog.0004_rename_title  downtime"), t);
            // The post-deploy RemoveField is the second phase: satisfied, not an error.
            assertTrue(t.contains("shop.0003_remove_order_note  compatible"), t);
        }
    }

    @Test
    void sitesFromTheirAppliedListsWithASquashAndASiteAheadAndASummary() throws Exception {
        try (GitScenario repo = project()) {
            repo.branch("v3").copy("plan/squash", ".").commit("squash");
            Path fresh = applied("fresh.txt", "shop,0001_initial\nblog,0001_initial\n");
            Path partly = applied("partly.txt", """
                    blog
                     [X] 0001_initial
                     [ ] 0002_post_order
                    shop
                     [X] 0001_initial
                     [X] 0002_order_channel
                    """);
            Path ahead = applied("ahead.txt", "[X]  shop.0001_initial\n[X]  shop.0002_order_channel\n"
                    + "[X]  shop.0099_hotfix\n[X]  blog.0001_initial\n[X]  blog.0002_post_order\n");
            Run r = run(repo, "plan", "--applied", fresh.toString(), "--applied", partly.toString(), "--applied",
                    ahead.toString(), "v3");
            String t = r.out();
            // Partly applied squash: set aside, its remaining replaced migration runs instead.
            assertTrue(t.contains("blog.0001_squashed_0002_post_order is a squash the site applied in part"), t);
            int partlyAt = t.indexOf("site partly.txt");
            assertTrue(t.indexOf("blog.0002_post_order", partlyAt) > 0, t);
            // Fully applied squash (ahead.txt applied both): nothing of it runs again.
            int aheadAt = t.indexOf("site ahead.txt");
            assertFalse(t.substring(aheadAt).contains("blog.0001_squashed_0002_post_order  "), t);
            assertTrue(t.contains("the database has migrations v3 does not: shop.0099_hotfix"), t);
            assertTrue(t.contains("summary"), t);
            assertTrue(t.contains("fresh.txt") && t.contains("partly.txt") && t.contains("ahead.txt"), t);
        }
    }

    @Test
    void jsonIsVersionedAndComplete() throws Exception {
        try (GitScenario repo = project()) {
            JsonNode doc = new ObjectMapper().readTree(run(repo, "plan", "v1", "v2", "--format", "json").out());
            assertEquals("migsafe/plan/1", doc.get("schema").asText());
            JsonNode site = doc.get("sites").get(0);
            assertEquals(5, site.get("migrations").asInt());
            assertEquals(3, site.get("steps").size());
            assertEquals("post-deploy", site.get("steps").get(2).get("phase").asText());
            assertEquals(2, site.get("backup_before_step").asInt());
            assertEquals("blog.0003_backfill_channel", site.get("irreversible").get(0).asText());
        }
    }

    @Test
    void aForeignAppliedFileIsAUsageErrorNamingTheLine() throws Exception {
        try (GitScenario repo = project()) {
            Path bad = applied("bad.txt", "shop,0001_initial\nOperations to perform:\n");
            Run r = run(repo, "plan", "--applied", bad.toString(), "v2");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("bad.txt:2: "), r.err());
            assertEquals(2, run(repo, "plan").code(), "neither FROM nor --applied");
            Run missing = run(repo, "plan", "--applied", temp.resolve("none.txt").toString(), "v2");
            assertEquals(2, missing.code());
            assertTrue(missing.err().contains("none.txt: no such file"), missing.err());
        }
    }

    @Test
    void nothingToApply() {
        try (GitScenario repo = project()) {
            Run r = run(repo, "plan", "v2", "v2");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("nothing to apply"), r.out());
        }
    }

    @Test
    void anAppUnderADjangoContribLabelFindsDjangosRowsApplied() {
        try (GitScenario repo = project()) {
            repo.branch("v4").copy("plan/own_auth", ".").commit("own auth app");
            String t = run(repo, "plan", "v2", "v4", "--fail-on", "never").out();
            assertTrue(t.contains("1 migration to apply") && t.contains("auth.0099_permission_scope"), t);
            assertFalse(t.contains("auth.0001_initial  "), t);
        }
    }

    @Test
    void aPreDeployStepThatWouldApplyAPostDeployMigrationSaysSo() {
        try (GitScenario repo = project()) {
            repo.branch("v5").copy("plan/stage_order", ".").commit("stage order");
            String t = run(repo, "plan", "v1", "v5", "--fail-on", "never").out();
            assertTrue(t.contains("step 2: python manage.py migrate blog 0005_post_note"), t);
            assertTrue(t.contains("problem: it also applies the post-deploy shop.0003_remove_order_note"), t);
        }
    }

    @Test
    void markdownIsAChecklistAndShellAScriptForOneSite() throws Exception {
        try (GitScenario repo = project()) {
            String md = run(repo, "plan", "v1", "v2", "--format", "markdown", "--fail-on", "never").out();
            assertTrue(md.contains("- [ ] Take a backup before step 2"), md);
            assertTrue(md.contains("- [ ] Step 1: `python manage.py migrate shop 0002_order_channel`"), md);
            assertTrue(md.contains("### After the rollout"), md);
            String sh = run(repo, "plan", "v1", "v2", "--format", "shell", "--fail-on", "never").out();
            assertTrue(sh.startsWith("#!/bin/sh\n") && sh.contains("set -eu\n"), sh);
            assertTrue(sh.contains("step=1; $MANAGE migrate shop 0002_order_channel"), sh);
            assertTrue(sh.contains("then run: sh $0 post"), sh);
            Path a = applied("a.txt", "shop,0001_initial\n");
            Path b = applied("b.txt", "shop,0001_initial\n");
            assertEquals(2, run(repo, "plan", "--applied", a.toString(), "--applied", b.toString(), "--format", "shell").code());
        }
    }

    @Test
    void aSiteThatAppliedPartOfASquashWhoseReplacedFilesAreGoneIsRefused() throws Exception {
        try (GitScenario repo = GitScenario.create(temp.resolve("repo"))) {
            repo.copy("plan/base", ".").copy("plan/release", ".").commit("release").branch("v6");
            java.nio.file.Files.delete(repo.dir().resolve("blog/migrations/0001_initial.py"));
            java.nio.file.Files.delete(repo.dir().resolve("blog/migrations/0002_post_order.py"));
            repo.copy("plan/squash_only", ".").commit("squash only");
            Path site = applied("old.txt", "shop,0001_initial\nshop,0002_order_channel\nblog,0001_initial\n");
            String t = run(repo, "plan", "--applied", site.toString(), "v6", "--fail-on", "never").out();
            assertTrue(t.contains("Django refuses this upgrade: blog.0001_squashed_0002_post_order replaces migrations the "
                    + "site applied only in part, and the rest (blog.0002_post_order) are gone from this commit"), t);
        }
    }
}
