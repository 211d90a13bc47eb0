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
 * @param owner the class whose body declares it (the model, or an abstract base it inherits from)
 * @param primaryKey primary_key=True
 * @param target the model a relation points at, as written (a class name or "app.Model"), else null
 * @param djangoClass its class is one of Django's own field classes (imports say so): it certainly
 *                    has a migration state; a third-party or project class may be virtual
 */
public record DeployedField(String name, String column, String fieldClass, boolean deprecated, Boolean nullable,
                            boolean hasDefault, boolean hasDbDefault, String path, int line, int col, String text,
                            String owner, boolean primaryKey, String target, boolean djangoClass) {

    /** A relation to another model: deleting a row there makes Django's collector query this table. */
    public boolean relatesElsewhere(String self) {
        return target != null && !target.equals("self") && !target.equals(self) && !target.endsWith("." + self);
    }
}
