package dev.migsafe.rules.stage;

import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Stage;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * G010: a pre-deploy migration that depends on a post-deploy migration of the same analysed range.
 * A post-deploy parent that is already shipped has run after its own release's rollout, so it
 * does not hold anything back; only new ones are reported.
 */
public final class StageOrder extends MigrationRule {

    public StageOrder() {
        super(RuleInfo.of("G010", "stage-order", Severity.ERROR)
                .summary("A pre-deploy migration that depends on a post-deploy migration of the same range.")
                .why("""
                        Before the rollout, only pre-deploy migrations run (syzygy's `migrate --pre-deploy`,
                        django-safemigrate's `safemigrate`, Sentry's deploy skipping post-deployment
                        migrations). Django applies a migration only after its dependencies, so a pre-deploy
                        migration whose parent is post-deploy cannot run before the rollout: the pre-deploy step
                        fails (django-safemigrate and syzygy stop with an error) or, with a plain `migrate`, the
                        post-deploy parent runs early, before the old code is gone, which is exactly what its
                        marker was meant to prevent. The new code then rolls out without the schema it needs.
                        Only a parent that is new in the analysed range counts: a post-deploy migration shipped
                        in an earlier release has already run after that release's rollout.""")
                .example("""
                        # orders/migrations/0011_remove_order_note.py
                        class Migration(migrations.Migration):
                            stage = Stage.POST_DEPLOY
                            operations = [migrations.RemoveField("order", "note")]

                        # orders/migrations/0012_order_channel.py   (pre-deploy)
                        class Migration(migrations.Migration):
                            dependencies = [("orders", "0011_remove_order_note")]
                            operations = [migrations.AddField("order", "channel", models.TextField(null=True))]""")
                .instead("""
                        Make the pre-deploy migration independent of the post-deploy one: depend on the
                        migration before it (dependencies = [("orders", "0010_...")]) and have the post-deploy
                        migration depend on the pre-deploy one instead, so that the graph runs every pre-deploy
                        step first. If the pre-deploy migration really needs the post-deploy change, it belongs
                        after the rollout too: mark it post-deploy with the same marker (`stage =
                        Stage.POST_DEPLOY`, `safe = Safe.after_deploy()` or `is_post_deployment = True`), or ship
                        it in the next release.""")
                .others("""
                        django-safemigrate's `safemigrate` command refuses a before-deploy migration whose
                        dependencies include a migration that is not safe before the deploy, and syzygy's
                        `migrate --pre-deploy` stops with an ambiguous plan in the same case; both find out at
                        deploy time, against a database. migsafe reports it from the files, before the merge.
                        strong_migrations and django-migration-linter have no notion of stages."""));
    }

    @Override
    public void check(MigrationContext ctx) {
        if (ctx.stage() != Stage.PRE_DEPLOY || ctx.migration() == null) {
            return;
        }
        List<String> post = new ArrayList<>();
        for (Map.Entry<MigrationKey, Stage> e : ctx.parentStages().entrySet()) {
            MigrationKey parent = e.getKey();
            if (e.getValue() == Stage.POST_DEPLOY && !parent.equals(ctx.key()) && ctx.isNew(parent)) {
                post.add(parent.app() + "." + parent.name());
            }
        }
        if (post.isEmpty()) {
            return;
        }
        String parents = String.join(", ", post);
        String self = ctx.app() + "." + ctx.name();
        ctx.report(this, ctx.migration().line(), ctx.migration().column(), null,
                self + " is pre-deploy but depends on " + parents + ", which " + (post.size() == 1 ? "is" : "are")
                        + " post-deploy and new in this range: the pre-deploy run cannot apply " + ctx.name()
                        + " without running " + (post.size() == 1 ? "it" : "them") + " before the rollout",
                "Drop the dependency on " + parents + " from " + ctx.name()
                        + " (depend on the migration before it) and let the post-deploy migration depend on "
                        + ctx.name() + " instead; or, if " + ctx.name() + " needs that change, mark it post-deploy too ("
                        + marker(ctx) + ") or move it to the next release.");
    }

    /** The marker the project writes, judged from this migration's own attributes; all three when unknown. */
    static String marker(MigrationContext ctx) {
        Map<String, ?> attrs = ctx.migration().attributes();
        if (attrs.containsKey("safe")) {
            return "`safe = Safe.after_deploy()`";
        }
        if (attrs.containsKey("stage")) {
            return "`stage = Stage.POST_DEPLOY`";
        }
        if (attrs.containsKey("is_post_deployment")) {
            return "`is_post_deployment = True`";
        }
        return "`stage = Stage.POST_DEPLOY`, `safe = Safe.after_deploy()` or `is_post_deployment = True`, "
                + "whichever your deploy honours";
    }
}
