package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;

/**
 * When a migration runs relative to the code rollout (PRODUCT.md "Stages"): pre-deploy unless a
 * marker another tool's users already write says post-deploy: syzygy's
 * {@code stage = Stage.POST_DEPLOY}, django-safemigrate's {@code safe = Safe.after_deploy(...)},
 * or Sentry's {@code is_post_deployment = True}.
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
        return PRE_DEPLOY;
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
