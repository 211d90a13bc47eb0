package dev.migsafe.sql;

import java.util.List;
import java.util.Set;

/**
 * One change a SQL statement makes to the database, in the terms migsafe's rules use for Django's
 * operations: an ALTER TABLE with three actions is three changes. Fields that do not apply to a
 * kind are null (or empty).
 *
 * @param table      the table changed (the index's table for CREATE INDEX, the trigger's table...)
 * @param column     the column changed, for column changes
 * @param name       the new name (renames), the index, constraint, trigger, function, extension,
 *                   type or object name otherwise
 * @param type       a column's type as written, normalised (lower case, single spaces)
 * @param expression a default, CHECK, generated or USING expression, as written
 * @param constraint the kind of constraint ADD CONSTRAINT / a column option adds
 * @param references the table a foreign key references
 * @param columns    a constraint's or index's columns; a trigger's events (INSERT, UPDATE...)
 * @param detail     LOCK TABLE's mode, SET's setting, an object's kind ("view"), a trigger's
 *                   function, why a statement could not be read
 * @param value      SET's value, ALTER TYPE ... ADD VALUE's label, a function's body
 */
public record DbChange(Kind kind, Name table, String column, String name, String type, String expression,
                       Constraint constraint, Name references, List<String> columns, Set<Flag> flags,
                       String detail, String value) {

    public enum Kind {
        ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT,
        DROP_DEFAULT, ALTER_COLUMN_OTHER, ADD_CONSTRAINT, VALIDATE_CONSTRAINT, DROP_CONSTRAINT, RENAME_CONSTRAINT,
        ALTER_TABLE_OTHER, RENAME_TABLE, SET_SCHEMA, CREATE_TABLE, DROP_TABLE, CREATE_INDEX, DROP_INDEX,
        ALTER_INDEX, REINDEX, CREATE_TRIGGER, DROP_TRIGGER, CREATE_FUNCTION, CREATE_EXTENSION, ALTER_TYPE_ADD_VALUE,
        CREATE_OBJECT, ALTER_OBJECT, DROP_OBJECT, REFRESH_VIEW, COMMENT, GRANT, REVOKE,
        UPDATE, DELETE, INSERT, TRUNCATE, LOCK_TABLE, VACUUM, CLUSTER,
        SET, RESET, SHOW, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SELECT, DO, READ_ONLY,
        /** A statement the grammar could not read: {@code detail} says as far as it got. */
        UNKNOWN
    }

    public enum Constraint { CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY, EXCLUDE }

    public enum Flag {
        NOT_NULL, DEFAULT, NOT_VALID, USING_INDEX, CONCURRENTLY, UNIQUE, IF_EXISTS, IF_NOT_EXISTS, WHERE,
        LOCAL, FULL, BEFORE, AFTER, INSTEAD_OF, CASCADE, GENERATED_STORED, GENERATED_VIRTUAL, IDENTITY,
        OR_REPLACE, TEMPORARY, ROW_LEVEL, TEMPLATE
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    /** Whether this change reads or writes rows only (INSERT/UPDATE/DELETE). */
    public boolean isRowWrite() {
        return kind == Kind.UPDATE || kind == Kind.DELETE || kind == Kind.INSERT;
    }
}
