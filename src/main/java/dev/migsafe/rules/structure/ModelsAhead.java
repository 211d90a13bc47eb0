package dev.migsafe.rules.structure;

import dev.migsafe.deployed.DeployedField;
import dev.migsafe.deployed.DeployedModel;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.ProjectCheck;
import dev.migsafe.rules.ProjectRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * G011: the head's models declare what its migrations do not create (a forgotten
 * makemigrations), read statically: once per app whose models modules the range changed, and
 * only for models migsafe reads completely (every base followed, every field recognised).
 */
public final class ModelsAhead extends Rule implements ProjectRule {

    /** Field classes that never appear in migrations (no column, no state). */
    private static final List<String> NOT_IN_MIGRATIONS = List.of("GenericForeignKey", "GenericRelation");

    public ModelsAhead() {
        super(RuleInfo.of("G011", "models-ahead", Severity.WARNING)
                .summary("The models declare a field or model that no migration creates: makemigrations was forgotten.")
                .why("""
                        The code that ships with a migration expects the schema the models describe. When a
                        model change is committed without its migration, `migrate` has nothing to run, and the
                        new code's queries name a column (or a table) the database does not have: every query
                        of that model fails as soon as the release is live. Django's `makemigrations --check`
                        finds this, but needs the project's settings and imports the code; migsafe reads the
                        models statically, from git, in the same run that judges the migrations.""")
                .example("""
                        # shop/orders/models.py (changed in this range)
                        class Order(models.Model):
                            number = models.CharField(max_length=20)
                            gift_message = models.TextField(null=True)   # no migration adds it""")
                .instead("""
                        Run `python manage.py makemigrations orders` and commit the migration with the model
                        change. If the field is meant to stay out of the database (a property or a descriptor),
                        it is not a model field: make it one of those.""")
                .others("""
                        Django's `makemigrations --check` (run in CI with a database-less settings module) is the
                        reference and also sees changes of field options. migsafe compares names only, and only
                        fields of Django's own classes (a third-party field may be virtual): a model it
                        cannot read completely (a third-party base class, fields built at run time) or an app
                        whose migrations it could not replay is left alone, and only apps whose models modules
                        the analysed range changed are judged. None of the migration linters check this."""));
    }

    @Override
    public void judge(ProjectCheck check) {
        for (String app : check.changedApps()) {
            if (check.state().incomplete(app)) {
                continue;
            }
            List<String> missing = new ArrayList<>();
            String path = null;
            int line = 0;
            for (DeployedModel m : check.head().models(app)) {
                if (!m.hasTable() || !Boolean.TRUE.equals(m.managed()) || !m.complete() || !m.app().equals(app)) {
                    continue;
                }
                ModelState s = check.state().model(app, m.name());
                if (s == null) {
                    if (check.state().models().values().stream().noneMatch(x -> x.app().equals(app))) {
                        continue; // an app without any model in its migrations: perhaps not migrated by migsafe's reading
                    }
                    missing.add("model " + m.name() + " (" + m.path() + ":" + m.line() + ")");
                    if (path == null) {
                        path = m.path();
                        line = m.line();
                    }
                    continue;
                }
                if (!s.complete()) {
                    continue;
                }
                for (DeployedField f : m.fields().values()) {
                    // Only Django's own field classes: a third-party one (prices' MoneyField, a generic
                    // foreign key of a library) may be virtual and have no migration state at all.
                    if (!f.djangoClass() || NOT_IN_MIGRATIONS.contains(f.fieldClass()) || f.path().startsWith("django.")
                            || s.fields().containsKey(f.name().toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    missing.add("field " + m.name() + "." + f.name() + " (" + f.path() + ":" + f.line() + ")");
                    if (path == null) {
                        path = f.path();
                        line = f.line();
                    }
                }
            }
            if (!missing.isEmpty()) {
                check.report(this, path, line, app, "the models of " + app + " declare what no migration creates: "
                        + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                        + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
                        + "; makemigrations would write a migration, and the code fails on the missing "
                        + (missing.stream().allMatch(x -> x.startsWith("model")) ? "table" : "column") + " once deployed",
                        "run `python manage.py makemigrations " + app + "` and commit the migration with the model change");
            }
        }
    }
}
