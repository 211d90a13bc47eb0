package dev.migsafe.state;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.FieldSpec;
import dev.migsafe.python.eval.Value;
import java.util.Map;
import java.util.function.Function;

/**
 * Django field classes -> database column types for PostgreSQL, MySQL and SQLite, following the
 * backends' data_types tables. A field class that is not Django's own (a custom or third-party
 * field) has no known column type: {@link #of} returns null and rules say "review".
 */
public final class FieldTypes {

    private FieldTypes() {}

    /** Simple class name -> {postgresql, mysql, sqlite} base type. "varchar" takes max_length. */
    private static final Map<String, String[]> TYPES = Map.ofEntries(
            Map.entry("AutoField", new String[] {"integer", "integer", "integer"}),
            Map.entry("BigAutoField", new String[] {"bigint", "bigint", "integer"}),
            Map.entry("SmallAutoField", new String[] {"smallint", "smallint", "integer"}),
            Map.entry("BinaryField", new String[] {"bytea", "longblob", "BLOB"}),
            Map.entry("BooleanField", new String[] {"boolean", "bool", "bool"}),
            Map.entry("NullBooleanField", new String[] {"boolean", "bool", "bool"}),
            Map.entry("CharField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("SlugField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("EmailField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("URLField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("FileField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("ImageField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("FilePathField", new String[] {"varchar", "varchar", "varchar"}),
            Map.entry("DateField", new String[] {"date", "date", "date"}),
            Map.entry("DateTimeField", new String[] {"timestamp with time zone", "datetime(6)", "datetime"}),
            Map.entry("TimeField", new String[] {"time", "time(6)", "time"}),
            Map.entry("DurationField", new String[] {"interval", "bigint", "bigint"}),
            Map.entry("DecimalField", new String[] {"numeric", "numeric", "decimal"}),
            Map.entry("FloatField", new String[] {"double precision", "double precision", "real"}),
            Map.entry("IntegerField", new String[] {"integer", "integer", "integer"}),
            Map.entry("BigIntegerField", new String[] {"bigint", "bigint", "bigint"}),
            Map.entry("SmallIntegerField", new String[] {"smallint", "smallint", "smallint"}),
            Map.entry("PositiveIntegerField", new String[] {"integer", "integer UNSIGNED", "integer unsigned"}),
            Map.entry("PositiveBigIntegerField", new String[] {"bigint", "bigint UNSIGNED", "bigint unsigned"}),
            Map.entry("PositiveSmallIntegerField", new String[] {"smallint", "smallint UNSIGNED", "smallint unsigned"}),
            Map.entry("IPAddressField", new String[] {"inet", "char(15)", "char(15)"}),
            Map.entry("GenericIPAddressField", new String[] {"inet", "char(39)", "char(39)"}),
            Map.entry("JSONField", new String[] {"jsonb", "json", "text"}),
            Map.entry("TextField", new String[] {"text", "longtext", "text"}),
            Map.entry("UUIDField", new String[] {"uuid", "char(32)", "char(32)"}),
            Map.entry("HStoreField", new String[] {"hstore", null, null}),
            Map.entry("CICharField", new String[] {"citext", null, null}),
            Map.entry("CIEmailField", new String[] {"citext", null, null}),
            Map.entry("CITextField", new String[] {"citext", null, null}),
            Map.entry("SearchVectorField", new String[] {"tsvector", null, null}),
            Map.entry("IntegerRangeField", new String[] {"int4range", null, null}),
            Map.entry("BigIntegerRangeField", new String[] {"int8range", null, null}),
            Map.entry("DecimalRangeField", new String[] {"numrange", null, null}),
            Map.entry("DateTimeRangeField", new String[] {"tstzrange", null, null}),
            Map.entry("DateRangeField", new String[] {"daterange", null, null}));

    /** Relation classes: their column follows the target's key. */
    private static final java.util.Set<String> RELATIONS = java.util.Set.of("ForeignKey", "OneToOneField", "ManyToManyField");

    /** contrib.postgres' classes among {@link #TYPES}. */
    private static final java.util.Set<String> POSTGRES = java.util.Set.of("ArrayField", "HStoreField", "CICharField",
            "CIEmailField", "CITextField", "SearchVectorField", "IntegerRangeField", "BigIntegerRangeField",
            "DecimalRangeField", "DateTimeRangeField", "DateRangeField");

    /**
     * A Django field class as a user writes it in configuration (CharField, models.CharField,
     * django.db.models.CharField, django.contrib.postgres.fields.ArrayField) -> its canonical
     * name; null when it is not a class whose column migsafe knows.
     */
    public static String djangoClass(String written) {
        if (written == null || written.isBlank()) {
            return null;
        }
        String canonical = DjangoNames.canonical(written.strip());
        String simple = canonical.substring(canonical.lastIndexOf('.') + 1);
        String prefix = canonical.substring(0, canonical.length() - simple.length());
        boolean known = TYPES.containsKey(simple) || RELATIONS.contains(simple) || simple.equals("ArrayField");
        if (!known || !(prefix.isEmpty() || prefix.equals("models.") || prefix.equals(DjangoNames.MODELS)
                || prefix.equals(DjangoNames.POSTGRES_FIELDS))) {
            return null;
        }
        return (POSTGRES.contains(simple) ? DjangoNames.POSTGRES_FIELDS : DjangoNames.MODELS) + simple;
    }

    /** The simple names {@link #djangoClass} accepts, for suggestions. */
    public static java.util.Set<String> djangoClasses() {
        java.util.Set<String> out = new java.util.TreeSet<>(TYPES.keySet());
        out.addAll(RELATIONS);
        out.add("ArrayField");
        return out;
    }

    /** Default max_length of the varchar fields that have one. */
    private static final Map<String, Integer> DEFAULT_LENGTH = Map.of("SlugField", 50, "EmailField", 254,
            "URLField", 200, "FileField", 100, "ImageField", 100, "FilePathField", 100);

    /**
     * The column type of a field, or null when unknown (custom class, non-literal arguments,
     * a relation whose target's key is unknown).
     *
     * @param primaryKeyOf the target model's primary key field for a relation (model key -> field), may return null
     */
    public static ColumnType of(Field f, Database db, Function<String, Field> primaryKeyOf) {
        if (f.isToOne()) {
            Field pk = keyColumn(f, primaryKeyOf);
            return pk == null ? null : of(pk, db, primaryKeyOf); // AutoField's column is integer, so the key's type is the FK's
        }
        if (!f.isDjangoClass()) {
            return null;
        }
        String simple = f.typeSimpleClass();
        if (simple.equals("ArrayField")) {
            return db == Database.POSTGRESQL ? arrayOf(f) : null;
        }
        String[] bases = TYPES.get(simple);
        if (bases == null) {
            return null;
        }
        String base = bases[db.ordinal()];
        if (base == null) {
            return null;
        }
        if (base.equals("varchar")) {
            Integer length = f.integer("max_length");
            if (length == null && f.has("max_length")) {
                return null; // a non-literal max_length
            }
            if (length == null) {
                length = DEFAULT_LENGTH.get(simple);
            }
            return new ColumnType("varchar", length, null, null);
        }
        if (simple.equals("DecimalField")) {
            Integer p = f.integer("max_digits");
            Integer s = f.integer("decimal_places");
            if ((p == null && f.has("max_digits")) || (s == null && f.has("decimal_places"))) {
                return null;
            }
            return new ColumnType(base, null, p, s);
        }
        return ColumnType.of(base);
    }

    /**
     * The field whose column type a to-one relation's column takes: the target's primary key,
     * followed through keys that are themselves relations (multi-table inheritance: a child's key
     * is the parent link {@code <parent>_ptr}, holding the parent's ids). Null when a target or
     * key on the way is unknown, or the chain does not end (a cycle).
     */
    public static Field keyColumn(Field relation, Function<String, Field> primaryKeyOf) {
        Field f = relation;
        for (int depth = 0; depth < 16 && f != null && f.isToOne(); depth++) {
            if (f.string("to_field") != null && f != relation) {
                return null; // a key that references another column: not followed
            }
            f = f.target() == null ? null : primaryKeyOf.apply(f.target());
        }
        return f == null || f.isToOne() ? null : f;
    }

    /**
     * The models whose ids a model's ids are, nearest first: while a model's primary key is a
     * to-one relation (a multi-table child's {@code <parent>_ptr}, or a one-to-one key such as a
     * profile's user), every id of it is an id of the model that key points at.
     */
    public static java.util.List<String> keyAncestors(String model, Function<String, Field> primaryKeyOf) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Field pk = model == null ? null : primaryKeyOf.apply(model);
        while (pk != null && pk.isToOne() && pk.target() != null && pk.string("to_field") == null
                && !out.contains(pk.target()) && !pk.target().equals(model) && out.size() < 16) {
            out.add(pk.target());
            pk = primaryKeyOf.apply(pk.target());
        }
        return out;
    }

    private static ColumnType arrayOf(Field f) {
        Value given = f.kw("base_field") != null ? f.kw("base_field") : f.spec().args().isEmpty() ? null : f.spec().args().get(0);
        if (!(given instanceof Value.Call base)) {
            return null;
        }
        Field inner = new Field(f.name(), new FieldSpec(null, DjangoNames.canonical(base.callee()), base.args(),
                base.kwargs(), base.line(), base.column()), null);
        ColumnType t = of(inner, Database.POSTGRESQL, k -> null);
        return t == null ? null : new ColumnType(t.sql() + "[]", null, null, null);
    }
}
