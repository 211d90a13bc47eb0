package dev.migsafe.rules.locks;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.Database;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * L210: AddConstraintNotValid and ValidateConstraint of the same constraint in one migration.
 * Tables the general exemptions cover (created in the same migration or range) are left out:
 * validating an empty table costs nothing. PostgreSQL only (both operations are).
 */
public final class ValidateInSameMigration extends MigrationRule {

    public ValidateInSameMigration() {
        super(RuleInfo.of("L210", "validate-same-migration", Severity.WARNING)
                .summary("AddConstraintNotValid and ValidateConstraint of the same constraint in one migration.")
                .why("""
                        NOT VALID exists to split a constraint in two: a cheap ADD now, the scan later under a lock
                        that lets reads and writes go on. In one atomic migration both run in one transaction, and
                        the ACCESS EXCLUSIVE lock taken by the ADD is held until commit, so the validation scan runs
                        under it: exactly the outage NOT VALID was meant to avoid. In a non-atomic migration the
                        lock is released, but no release runs between the two steps to fix violating rows: one bad
                        row stops the migration halfway.""")
                .example("""
                        operations = [
                            AddConstraintNotValid("order", models.CheckConstraint(
                                condition=models.Q(total__gte=0), name="order_total_gte_0")),
                            ValidateConstraint("order", "order_total_gte_0"),
                        ]""")
                .instead("""
                        Keep AddConstraintNotValid here and move ValidateConstraint("order", "order_total_gte_0")
                        to a later migration, shipped once the code writes valid rows and old rows are fixed.""")
                .others("""
                        strong_migrations' recipe (validate: false, then validate_check_constraint) also puts the
                        validation in a separate migration; neither it nor django-migration-linter checks that the
                        two steps were not put back together."""));
    }

    @Override
    public void check(MigrationContext mc) {
        if (mc.settings().database() != Database.POSTGRESQL) {
            return;
        }
        Map<String, Ddl.Indexed> notValid = new HashMap<>();
        for (Ddl.Indexed x : Ddl.databaseOperations(mc.operations())) {
            Operation op = x.op();
            String model = str(op.arg(0, "model_name"));
            if ("AddConstraintNotValid".equals(op.type())) {
                String name = Ddl.nameOf(op.arg(1, "constraint"));
                if (model != null && name != null && LockDescriptions.takesLocks(mc.locks(x.index()))) {
                    notValid.put(key(model, name), x);
                }
            } else if ("ValidateConstraint".equals(op.type())) {
                String name = str(op.arg(1, "name"));
                if (model == null || name == null || !notValid.containsKey(key(model, name))) {
                    continue;
                }
                String migration = mc.app() + "." + mc.name();
                String what = "ValidateConstraint " + name + " on " + mc.app() + "." + model + " runs in " + migration
                        + ", the migration whose AddConstraintNotValid creates it: ";
                String why = mc.atomic()
                        ? "inside the migration's transaction the ACCESS EXCLUSIVE lock taken by ADD CONSTRAINT ... NOT "
                        + "VALID is still held, so the validation scan blocks reads and writes as a plain AddConstraint would"
                        : "no release runs in between to fix existing rows, and one violating row stops the migration "
                        + "halfway (atomic = False), with the constraint left NOT VALID";
                mc.report(this, op, x.index(), what + why, "move ValidateConstraint(\"" + model + "\", \"" + name
                        + "\") to a later migration, shipped after the code writes valid rows and the old rows are fixed");
            }
        }
    }

    private static String key(String model, String name) {
        return model.toLowerCase(Locale.ROOT) + "|" + name;
    }

    private static String str(Value v) {
        return v instanceof Value.Str s ? s.value() : null;
    }
}
