package dev.migsafe.rules.reverse;

import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;

/**
 * R301: a RunPython without reverse_code (or with {@code reverse_code=None}): Django refuses to
 * unapply the migration (IrreversibleError). {@code RunPython.noop}, a function or a lambda as
 * reverse_code are all reversible.
 */
public final class RunPythonIrreversible extends OperationRule {

    public RunPythonIrreversible() {
        super(RuleInfo.of("R301", "runpython-irreversible", Severity.WARNING)
                .reversibility(Reversibility.NO)
                .summary("RunPython without `reverse_code`: the migration cannot be unapplied.")
                .why("""
                        Rolling back a release may need `manage.py migrate app <previous>`. Django refuses to
                        unapply a RunPython that has no reverse_code (IrreversibleError), so the rollback stops
                        at this migration and every migration after it stays applied, together with the schema
                        old code may not understand. Writing the reverse when the forward code is fresh in mind
                        is cheap; writing it during an incident is not.""")
                .example("""
                        def fill_channel(apps, schema_editor):
                            Order = apps.get_model("shop", "Order")
                            Order.objects.filter(channel="").update(channel="web")

                        operations = [migrations.RunPython(fill_channel)]""")
                .instead("""
                        Give it a reverse. When undoing the data change is not needed (a backfill of a column
                        the reverse migration drops anyway), say so explicitly:
                            migrations.RunPython(fill_channel, reverse_code=migrations.RunPython.noop)
                        otherwise write the inverse function:
                            migrations.RunPython(fill_channel, reverse_code=clear_channel)""")
                .others("""
                        django-migration-linter warns the same (RUNPYTHON_REVERSIBLE). strong_migrations has no
                        equivalent check: Rails itself raises IrreversibleMigration for a `change` it cannot
                        invert. migsafe also marks the operation `reversible: no`, so `migsafe rewind` can say
                        before a branch switch that unapplying will stop here."""));
    }

    @Override
    public void check(OperationContext ctx) {
        if (!"RunPython".equals(ctx.type())) {
            return;
        }
        Value reverse = ctx.op().arg(1, "reverse_code");
        if (reverse != null && !(reverse instanceof Value.None)) {
            return; // a function, a lambda or RunPython.noop: Django can run it backwards
        }
        String code = name(ctx.op().arg(0, "code"));
        String what = reverse == null ? "has no reverse_code" : "has reverse_code=None";
        ctx.report(this, "RunPython(" + code + ") in " + ctx.app() + "." + ctx.migration().name() + " " + what
                        + ": `manage.py migrate " + ctx.app() + "` back past this migration fails with IrreversibleError",
                "add `reverse_code=" + reverseName(code) + "` (a function that undoes " + code
                        + "), or `reverse_code=migrations.RunPython.noop` if undoing the data change is not needed");
    }

    /** How the user wrote the forward function, for messages. */
    static String name(Value v) {
        if (v instanceof Value.Ref r) {
            return r.source();
        }
        if (v instanceof Value.Opaque o) {
            String s = o.source().replaceAll("\\s+", " ").trim();
            return s.length() > 40 ? s.substring(0, 37) + "..." : s;
        }
        return v == null ? "..." : dev.migsafe.rules.Py.source(v);
    }

    /** A name for the reverse function: backwards for forwards, undo_fill_channel for fill_channel. */
    private static String reverseName(String code) {
        if (code.equals("forwards") || code.equals("forward") || !code.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return "backwards";
        }
        return "undo_" + code;
    }
}
