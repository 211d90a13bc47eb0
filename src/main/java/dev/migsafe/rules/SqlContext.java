package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.sql.DbChange;
import dev.migsafe.sql.Name;
import dev.migsafe.sql.SqlStatement;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;

/**
 * What a {@link JudgesSql} rule sees: one change of one statement, the operation that runs it
 * (RunSQL, or RunPython for SQL its code runs), the model and field the statement's table and
 * column resolve to in the replayed state (null when none does), and what the migration's SQL did
 * before it ({@link SqlMemory}).
 */
public final class SqlContext {

    private final OperationContext operation;
    private final SqlStatement statement;
    private final DbChange change;
    private final String where;
    private final boolean reverse;
    private final ModelState model;
    private final Field field;
    private final SqlMemory memory;

    SqlContext(OperationContext operation, SqlStatement statement, DbChange change, String where, boolean reverse,
               ModelState model, Field field, SqlMemory memory) {
        this.operation = operation;
        this.statement = statement;
        this.change = change;
        this.where = where;
        this.reverse = reverse;
        this.model = model;
        this.field = field;
        this.memory = memory;
    }

    public OperationContext operation() {
        return operation;
    }

    public SqlStatement statement() {
        return statement;
    }

    public DbChange change() {
        return change;
    }

    public DbChange.Kind kind() {
        return change.kind();
    }

    /** True for reverse_sql: the statement runs when the migration is unapplied. */
    public boolean reverse() {
        return reverse;
    }

    /** The model whose table the statement changes, or null (no model maps it, or it has no table name). */
    public ModelState model() {
        return model;
    }

    /** The field whose column the statement changes, or null. */
    public Field field() {
        return field;
    }

    public SqlMemory memory() {
        return memory;
    }

    public Database database() {
        return operation.database();
    }

    public Settings settings() {
        return operation.settings();
    }

    public boolean atomic() {
        return operation.migration().atomic();
    }

    /** "shop_order", or "the table a placeholder names" when a template fills it in. */
    public String table() {
        Name t = change.table();
        if (t == null) {
            return "the table";
        }
        return t.placeholder() ? "the table " + t + " stands for" : t.toString();
    }

    /**
     * Whether the statement's table holds rows old code uses: a model's table the analysed range
     * did not create, or a table no model maps that neither the range's SQL nor its operations
     * created (unknown tables count as existing: the safe side). False for a template's table.
     */
    public boolean existingTable() {
        Name t = change.table();
        if (t == null || t.placeholder()) {
            return false;
        }
        if (model != null) {
            return !operation.createdInRange(model);
        }
        if (memory.createdTable(t.name())) {
            return false;
        }
        // A table earlier SQL created (a kept table of the replay): new if that SQL is in the analysed range.
        ProjectState state = operation.state();
        return !state.tableExists(t.name()) || !operation.migration().isNew(state.tableCreator(t.name()));
    }

    /** "RunSQL `ALTER TABLE ...`": where the statement is, for a message. */
    public String quoted() {
        return where + " `" + statement.brief(100) + "`";
    }

    public void report(Rule rule, String message, String fix) {
        operation.report(rule, quoted() + ": " + message, fix);
    }

    public void report(Rule rule, DeployClass cls, String message, String fix) {
        operation.report(rule, cls, operation.op().line(), operation.op().column(), quoted() + ": " + message, fix);
    }
}
