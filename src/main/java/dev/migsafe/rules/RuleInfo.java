package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;

/**
 * A rule's identity and documentation in one place: id, name, default severity, the class its
 * findings give an operation (null when it decides none), the reversibility they imply (null
 * when none), and the four parts `explain` prints: what it flags, why it matters, an example and
 * what to do instead; and, where it differs, how other linters judge the same operation.
 */
public record RuleInfo(String id, String name, Severity severity, DeployClass deployClass,
                       Reversibility reversibility, String summary, String why, String example, String instead,
                       String others) {

    /** A rule that decides a class: severity error for two-phase/downtime, warning for review. */
    public static RuleInfo classifying(String id, String name, DeployClass deployClass) {
        Severity s = deployClass == DeployClass.REVIEW ? Severity.WARNING : Severity.ERROR;
        return new RuleInfo(id, name, s, deployClass, null, "", "", "", "", "");
    }

    /** A rule about locks, reversibility, data or structure, with its own severity. */
    public static RuleInfo of(String id, String name, Severity severity) {
        return new RuleInfo(id, name, severity, null, null, "", "", "", "", "");
    }

    public RuleInfo reversibility(Reversibility r) {
        return new RuleInfo(id, name, severity, deployClass, r, summary, why, example, instead, others);
    }

    public RuleInfo summary(String text) {
        return new RuleInfo(id, name, severity, deployClass, reversibility, text.strip(), why, example, instead, others);
    }

    public RuleInfo why(String text) {
        return new RuleInfo(id, name, severity, deployClass, reversibility, summary, text.strip(), example, instead, others);
    }

    public RuleInfo example(String text) {
        return new RuleInfo(id, name, severity, deployClass, reversibility, summary, why, text.stripTrailing(), instead, others);
    }

    public RuleInfo instead(String text) {
        return new RuleInfo(id, name, severity, deployClass, reversibility, summary, why, example, text.strip(), others);
    }

    /** How other tools (django-migration-linter, strong_migrations, ...) judge the same thing, and why migsafe differs. */
    public RuleInfo others(String text) {
        return new RuleInfo(id, name, severity, deployClass, reversibility, summary, why, example, instead, text.strip());
    }
}
