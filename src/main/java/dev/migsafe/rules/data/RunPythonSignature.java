package dev.migsafe.rules.data;

import dev.migsafe.python.ast.Walker;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ast.Param;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * D402: a RunPython function that cannot be called as Django calls it, {@code f(apps,
 * schema_editor)}: two positional arguments. Parameter names do not matter (Django passes them
 * by position); extra parameters with defaults and {@code *args} are fine; a required
 * keyword-only parameter is not.
 */
public final class RunPythonSignature extends OperationRule {

    public RunPythonSignature() {
        super(RuleInfo.of("D402", "runpython-signature", Severity.WARNING)
                .summary("A RunPython function that does not take `(apps, schema_editor)`.")
                .why("""
                        Django calls every RunPython function, forwards and backwards, with two positional
                        arguments: the historical app registry and the schema editor. A function that takes
                        fewer or more required arguments raises TypeError when the migration runs, in the
                        middle of a deploy (or of the rollback, for a reverse_code nobody ran before).""")
                .example("""
                        def fill_channel(apps):
                            ...

                        operations = [migrations.RunPython(fill_channel, migrations.RunPython.noop)]""")
                .instead("""
                        def fill_channel(apps, schema_editor):
                            Order = apps.get_model("shop", "Order")
                            ...""")
                .others("""
                        django-migration-linter warns when the two parameters are not named exactly `apps,
                        schema_editor` (a naming convention). migsafe checks what breaks: the number of
                        positional parameters Django's call can fill; `(apps, editor)` is fine, `(apps)` is not.
                        strong_migrations has no equivalent (Rails migrations have no such callback)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        for (RunPythonFunction f : RunPythonFunction.of(ctx)) {
            String problem = problem(f.params());
            if (problem == null) {
                continue;
            }
            String fix;
            List<String> extra = extraRequired(f.params());
            if (!extra.isEmpty()) {
                fix = "give " + String.join(", ", extra) + " a default (e.g. `" + extra.get(0) + "=None`) or drop "
                        + (extra.size() > 1 ? "them" : "it") + ": Django passes only (apps, schema_editor)";
            } else {
                fix = "take both arguments: `" + (f.isLambda() ? "lambda apps, schema_editor: ..."
                        : "def " + f.name() + "(apps, schema_editor):") + "`";
            }
            RunPythonFunction.report(ctx, this, f.pos().line(), f.pos().column(),
                    "RunPython calls " + f.display() + " (its " + f.role() + ") with two positional arguments, "
                            + "(apps, schema_editor), but it " + problem + ": the migration fails with TypeError"
                            + (f.role().equals("reverse_code") ? " when it is unapplied" : " when it runs"), fix);
        }
    }

    /** Required parameters beyond the two Django passes (the third positional on, required keyword-only ones). */
    private static List<String> extraRequired(List<Param> params) {
        List<String> out = new ArrayList<>();
        int positional = 0;
        for (Param p : params) {
            if (p.kind() == Param.Kind.POSITIONAL_ONLY || p.kind() == Param.Kind.POSITIONAL) {
                positional++;
                if (positional > 2 && p.defaultValue() == null) {
                    out.add(p.name());
                }
            } else if (p.kind() == Param.Kind.KEYWORD_ONLY && p.defaultValue() == null) {
                out.add(p.name());
            }
        }
        return out;
    }

    /** Why a call f(apps, schema_editor) fails, or null when it works. */
    static String problem(List<Param> params) {
        int positional = 0;
        int required = 0;
        boolean varargs = false;
        List<String> keywordOnly = new ArrayList<>();
        for (Param p : params) {
            switch (p.kind()) {
                case POSITIONAL_ONLY, POSITIONAL -> {
                    positional++;
                    if (p.defaultValue() == null) {
                        required++;
                    }
                }
                case VAR_POSITIONAL -> varargs = true;
                case KEYWORD_ONLY -> {
                    if (p.defaultValue() == null) {
                        keywordOnly.add(p.name());
                    }
                }
                default -> { }
            }
        }
        if (required > 2) {
            return "requires " + required + " positional arguments";
        }
        if (positional < 2 && !varargs) {
            return positional == 0 ? "takes no positional argument" : "takes only one positional argument";
        }
        if (!keywordOnly.isEmpty()) {
            return "requires the keyword-only argument" + (keywordOnly.size() > 1 ? "s " : " ") + String.join(", ", keywordOnly);
        }
        return null;
    }
}
