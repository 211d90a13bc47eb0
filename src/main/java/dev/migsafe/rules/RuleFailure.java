package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;

/**
 * A rule (or the analysis around it) that fails on an operation becomes a P007 finding there and
 * the run goes on: a migration file can hold any value the evaluator returns, and one odd
 * operation must never cost the user the verdicts on every other one.
 */
final class RuleFailure {

    static final String ID = "P007";

    private RuleFailure() {}

    /** Failures a run survives: a rule's bug (runtime exceptions) and runaway recursion in one rule. Out of memory is not one. */
    static boolean survivable(Throwable e) {
        return e instanceof RuntimeException || e instanceof StackOverflowError;
    }

    /** @param what "rule C101 (add-field-not-null)" or "the analysis" */
    static void onOperation(OperationContext ctx, String what, Throwable e) {
        MigrationContext mc = ctx.migration();
        mc.add(finding(mc, ctx.op().line(), ctx.op().column(), ctx.index(), what, e));
    }

    static void onMigration(MigrationContext mc, String what, Throwable e) {
        int line = mc.migration() == null ? 1 : mc.migration().line();
        int column = mc.migration() == null ? 1 : mc.migration().column();
        mc.add(finding(mc, line, column, null, what, e));
    }

    /** A project rule (G011) that fails: one P007 on the models it was reading. */
    static void onProject(ProjectCheck check, Rule r, String path, String app, Throwable e) {
        check.report(RuleCatalog.byId(ID), path, 1, app, rule(r) + " could not finish judging the models of " + app
                + " (" + describe(e) + "); check them against the migrations by hand (makemigrations --check)",
                "Report this finding to migsafe's maintainers with the models module: a rule failing is a bug in migsafe.");
    }

    static String rule(Rule r) {
        return "rule " + r.id() + " (" + r.info().name() + ")";
    }

    private static Finding finding(MigrationContext mc, int line, int column, Integer op, String what, Throwable e) {
        String message = what + " could not finish judging this " + (op == null ? "migration" : "operation")
                + " (" + describe(e) + "); judge it by hand";
        String fix = "Check what " + what + " checks (`migsafe explain` prints it) by hand, and report this finding with "
                + "the operation's source to migsafe's maintainers: a rule failing is a bug in migsafe.";
        return new Finding(ID, Severity.WARNING, mc.path(), line, column, mc.app(), mc.name(), message, fix,
                DeployClass.REVIEW, op);
    }

    /** The exception's class and where in migsafe it was thrown: enough for a bug report, no stack trace. */
    static String describe(Throwable e) {
        String where = "";
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.migsafe.")) {
                where = " at " + frame.getFileName() + ":" + frame.getLineNumber();
                break;
            }
        }
        return e.getClass().getSimpleName() + where;
    }
}
