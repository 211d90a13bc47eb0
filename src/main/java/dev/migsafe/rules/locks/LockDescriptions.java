package dev.migsafe.rules.locks;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The locks an operation takes on the configured database, in a DBA's words, one string per
 * lock (see {@code dev.migsafe.rules.Locks} for the contract). Called for operations the general
 * exemptions do not cover; empty when the operation runs no DDL on an existing table.
 */
public final class LockDescriptions {

    /** Every description of a lock migsafe cannot tell starts with this. */
    public static final String UNKNOWN = "unknown";

    /** The description of an operation type migsafe has no lock knowledge of (a custom operation). */
    static final String UNKNOWN_OPERATION = "unknown operation";

    private LockDescriptions() {}

    public static List<String> of(OperationContext ctx) {
        String type = ctx.type();
        if (type == null || Ddl.NO_TABLE.contains(type) || type.equals("IgnoreMigration")) {
            return List.of(); // IgnoreMigration: django-migration-linter's marker, no database effect
        }
        if ("RunSQL".equals(type)) {
            return List.of(); // the analysis reads its SQL statement by statement (SqlAnalysis, SqlLocks)
        }
        List<String> out = switch (ctx.database()) {
            case MYSQL -> MySqlLocks.of(ctx);
            case SQLITE -> SqliteLocks.of(ctx);
            default -> PostgresLocks.of(ctx);
        };
        return out == null ? List.of(UNKNOWN_OPERATION + ": migsafe does not know the locks of " + type) : out;
    }

    /** Whether every lock of the list is known (none is an "unknown..." description). */
    public static boolean known(List<String> locks) {
        return locks.stream().noneMatch(l -> l.startsWith(UNKNOWN));
    }

    /**
     * Whether the operation with these locks runs DDL on an existing table: some lock that is not
     * "none: ..." (a PostgreSQL-only operation elsewhere) and not an operation migsafe does not know.
     */
    public static boolean takesLocks(List<String> locks) {
        return locks.stream().anyMatch(l -> !l.startsWith("none") && !l.startsWith(UNKNOWN_OPERATION));
    }

    static List<String> unknownField(OperationContext ctx) {
        return List.of(UNKNOWN + ": the state before this operation lacks the field, so its locks on " + ctx.table()
                + " cannot be told");
    }

    /**
     * The existing tables a CreateModel's foreign keys (and M2M join tables) reference, from the
     * state before it; targets created in the same migration or range, and the model itself, left out.
     */
    static List<String> referencedTables(OperationContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        String self = ctx.str(0, "name");
        for (var spec : ctx.op().fields()) {
            Field probe = new Field(spec.name(), spec, null);
            if (!probe.isToOne() && !probe.isManyToMany()) {
                continue;
            }
            if (probe.isToOne() && !Boolean.TRUE.equals(FieldChange.foreignKey(probe))
                    || probe.isManyToMany() && probe.has("through")) {
                continue;
            }
            var to = spec.kwargs().get("to");
            if (to == null && !spec.args().isEmpty()) {
                to = spec.args().get(0);
            }
            String key = to == null ? null : ctx.state().resolve(to, ctx.app(), self);
            if (key == null || key.equals(ProjectState.key(ctx.app(), self))) {
                continue;
            }
            ModelState target = ctx.state().model(key);
            if (target != null && (ctx.createdInRange(target) || !target.hasTable())) {
                continue;
            }
            out.add(Ddl.tableOf(ctx.state(), key));
        }
        return new ArrayList<>(out);
    }

    /** Whether a CreateModel's options say the model has no table of its own (managed=False, proxy=True). */
    static boolean createsNoTable(OperationContext ctx) {
        if (ctx.op().arg(2, "options") instanceof Value.DictV d) {
            for (int i = 0; i < d.keys().size(); i++) {
                if (d.keys().get(i) instanceof Value.Str k
                        && d.values().get(i) instanceof Value.Bool b
                        && (k.value().equals("managed") && !b.value() || k.value().equals("proxy") && b.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The default join table of an M2M field (no through=): the model's table and the field name. */
    static String joinTable(OperationContext ctx, Field f) {
        return f.has("db_table") && f.string("db_table") != null ? f.string("db_table") : ctx.table() + "_" + f.nameLower();
    }

    /** The join table of another model's M2M field (no through=). */
    static String joinTable(ModelState owner, Field f) {
        return f.has("db_table") && f.string("db_table") != null ? f.string("db_table") : owner.table() + "_" + f.nameLower();
    }

    /** A constraint of the target model's state by name, or null. */
    static Value constraintNamed(OperationContext ctx, String name) {
        ModelState m = ctx.targetModel();
        if (m == null || name == null) {
            return null;
        }
        for (var c : m.constraints()) {
            if (name.equals(Ddl.nameOf(c))) {
                return c;
            }
        }
        return null;
    }
}
