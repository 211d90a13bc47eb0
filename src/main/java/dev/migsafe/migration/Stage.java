package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;

/**
 * When a migration runs relative to the code rollout (PRODUCT.md "Stages"): pre-deploy unless a
 * marker another tool's users already write says post-deploy: syzygy's
 * {@code stage = Stage.POST_DEPLOY}, django-safemigrate's {@code safe = Safe.after_deploy(...)}
 * (or {@code Safe.after_deploy} without a call, before django-safemigrate 5), or Sentry's
 * {@code is_post_deployment = True}. {@code Safe.before_deploy()}, {@code Safe.always()} and
 * {@code Stage.PRE_DEPLOY} are pre-deploy.
 *
 * Without a class marker, syzygy derives a migration's stage from its operations: an operation's
 * own {@code stage=} argument (syzygy's AlterField, RenameField, RenameModel), PostAddField
 * (post-deploy), and otherwise RemoveField/DeleteModel post-deploy and everything else
 * pre-deploy; a migration whose operations are all post-deploy is post-deploy. That is followed
 * only when the migration visibly uses syzygy (one of its operations comes from syzygy or passes
 * {@code stage=}): migsafe cannot tell from the migrations alone whether syzygy is installed, and
 * guessing post-deploy would hide contract steps that run before the rollout.
 */
public enum Stage {
    PRE_DEPLOY("pre-deploy"), POST_DEPLOY("post-deploy");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Stage of(Migration m) {
        if (m == null) {
            return PRE_DEPLOY;
        }
        if (m.attributes().get("is_post_deployment") instanceof Value.Bool b && b.value()) {
            return POST_DEPLOY;
        }
        if (isPostDeploy(m.attributes().get("stage"))) {
            return POST_DEPLOY;
        }
        Value safe = m.attributes().get("safe");
        if (safe instanceof Value.Call c && lower(c.callee()).endsWith("after_deploy")) {
            return POST_DEPLOY;
        }
        if (safe instanceof Value.Ref r && lower(name(r)).endsWith("after_deploy")) {
            return POST_DEPLOY; // django-safemigrate < 5: Safe.after_deploy without a call
        }
        if (m.attributes().containsKey("stage") || m.attributes().containsKey("safe")) {
            return PRE_DEPLOY; // an explicit marker that does not say post-deploy
        }
        return fromSyzygyOperations(m.operations());
    }

    /** syzygy's stage of a migration without a class marker, when its operations show syzygy is in use. */
    private static Stage fromSyzygyOperations(java.util.List<Operation> operations) {
        boolean syzygy = false;
        boolean allPost = !operations.isEmpty();
        for (Operation op : operations) {
            if (op.type() == null) {
                return PRE_DEPLOY;
            }
            String q = op.qualified() == null ? "" : op.qualified();
            Value stage = op.kwargs().get("stage");
            syzygy |= stage != null || q.startsWith("syzygy.");
            boolean post = stage != null ? isPostDeploy(stage)
                    : q.startsWith("syzygy.") ? op.type().equals("PostAddField")
                    : op.type().equals("RemoveField") || op.type().equals("DeleteModel");
            allPost &= post;
        }
        return syzygy && allPost ? POST_DEPLOY : PRE_DEPLOY;
    }

    /** syzygy's Stage.POST_DEPLOY (a reference, or the string "post_deploy"). */
    public static boolean isPostDeploy(Value v) {
        if (v instanceof Value.Ref r) {
            return lower(name(r)).endsWith("post_deploy");
        }
        return v instanceof Value.Str s && lower(s.value()).equals("post_deploy");
    }

    private static String name(Value.Ref r) {
        return r.qualified() != null ? r.qualified() : r.source();
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
