package dev.migsafe.state;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.FieldSpec;
import dev.migsafe.python.eval.Value;
import java.util.Locale;
import java.util.Set;

/**
 * A field of a replayed model: its name, the field spec as the migration wrote it, and for a
 * relation the target model's state key ("app.model", lowercase), or null when the target cannot
 * be resolved. Keyword arguments that are not literals read as unknown (null), never as a guess.
 * {@code base} is, for a field class that is not Django's, the Django field class it derives from
 * (read from the project's module, or configured in field-types), or null: what the field is in
 * the database (relation, key, column type) follows that class; messages name the field's own.
 */
public record Field(String name, FieldSpec spec, String target, String base) {

    public Field(String name, FieldSpec spec, String target) {
        this(name, spec, target, null);
    }

    /** The Django class that decides the column: the field's own class, or the Django class it derives from. */
    public String typeClass() {
        return base != null ? base : spec.fieldClass();
    }

    /** {@link #typeClass()}'s last name: CharField for a project's class derived from CharField. */
    public String typeSimpleClass() {
        String c = typeClass();
        return c.substring(c.lastIndexOf('.') + 1);
    }

    private static final Set<String> MANY_TO_MANY = Set.of("ManyToManyField", "TaggableManager", "SortedManyToManyField");
    private static final Set<String> TO_ONE = Set.of("ForeignKey", "OneToOneField", "ParentalKey", "TreeForeignKey",
            "TreeOneToOneField", "ForeignObject");

    public String simpleClass() {
        return spec.simpleClass();
    }

    public String fieldClass() {
        return spec.fieldClass();
    }

    public Value kw(String keyword) {
        return spec.kwargs().get(keyword);
    }

    public boolean has(String keyword) {
        return spec.kwargs().containsKey(keyword);
    }

    /** A boolean keyword: its literal value, {@code absent} when not given, null when not a literal. */
    public Boolean bool(String keyword, boolean absent) {
        Value v = kw(keyword);
        if (v == null) {
            return absent;
        }
        return Value.truthOf(v);
    }


    /** An int keyword's literal value, or null. */
    public Integer integer(String keyword) {
        Value v = kw(keyword);
        return v instanceof Value.Num n && n.value() instanceof java.math.BigInteger i ? i.intValue() : null;
    }

    /** A str keyword's literal value, or null. */
    public String string(String keyword) {
        Value v = kw(keyword);
        return v instanceof Value.Str s ? s.value() : null;
    }

    public boolean isManyToMany() {
        return MANY_TO_MANY.contains(typeSimpleClass());
    }

    /** ForeignKey, OneToOneField and their well-known subclasses: a column holding the target's key. */
    public boolean isToOne() {
        return TO_ONE.contains(typeSimpleClass());
    }

    public boolean isRelation() {
        return isManyToMany() || isToOne() || typeSimpleClass().equals("GenericForeignKey");
    }

    /** True when the field has a column (not M2M, not a GenericForeignKey or GeneratedField-free virtual field). */
    public boolean hasColumn() {
        return !isManyToMany() && !typeSimpleClass().equals("GenericForeignKey") && !typeSimpleClass().equals("GenericRelation");
    }

    /** null=True? (null: not a literal.) */
    public Boolean nullable() {
        return typeSimpleClass().equals("NullBooleanField") ? Boolean.TRUE : bool("null", false); // NullBooleanField: always nullable
    }

    public boolean hasDbDefault() {
        return has("db_default");
    }

    public boolean primaryKey() {
        return Boolean.TRUE.equals(bool("primary_key", false)) || typeSimpleClass().endsWith("AutoField");
    }

    /** unique=True (one-to-one and primary keys are unique too). null when not a literal. */
    public Boolean unique() {
        if (typeSimpleClass().equals("OneToOneField") || primaryKey()) {
            return true;
        }
        return bool("unique", false);
    }

    /** Whether Django creates an index for this field: db_index=True, or a to-one relation (unless db_index=False). */
    public Boolean indexed() {
        if (isToOne()) {
            return bool("db_index", true);
        }
        return bool("db_index", false);
    }

    /** The column name: db_column, else name (+ "_id" for a to-one relation). */
    public String column() {
        String dbColumn = string("db_column");
        if (dbColumn != null) {
            return dbColumn;
        }
        return isToOne() ? name + "_id" : name;
    }

    /** True when the field class is one of Django's own (django.db.models / contrib.postgres / gis), or derives from one. */
    public boolean isDjangoClass() {
        String c = typeClass();
        return c.startsWith(DjangoNames.MODELS) || c.startsWith(DjangoNames.POSTGRES_FIELDS)
                || c.startsWith("django.contrib.gis.db.models.") || c.startsWith("django.contrib.contenttypes.fields.");
    }

    public String nameLower() {
        return name.toLowerCase(Locale.ROOT);
    }

    public Field withName(String newName) {
        return new Field(newName, spec, target, base);
    }

    public Field withTarget(String newTarget) {
        return new Field(name, spec, newTarget, base);
    }
}
