package dev.migsafe.deployed;

/**
 * A field as a deployed model class declares it (or inherits it from an abstract base).
 *
 * @param name the attribute name
 * @param column the database column it maps (db_column, else the name, with _id for a foreign
 *               key); null when it maps none (many-to-many, generic relations)
 * @param fieldClass the field class's last name (CharField, ForeignKey, MoneyField)
 * @param deprecated wrapped in a call that keeps it out of Django's queries (deprecate_field)
 * @param nullable null=True (null when not a literal)
 * @param hasDefault a Python default (default=...), so Django writes a value on every INSERT
 * @param hasDbDefault a database default (db_default=...)
 * @param path the file that declares it
 * @param line where
 * @param text the declaring line, for evidence
 */
public record DeployedField(String name, String column, String fieldClass, boolean deprecated, Boolean nullable,
                            boolean hasDefault, boolean hasDbDefault, String path, int line, int col, String text) {}
