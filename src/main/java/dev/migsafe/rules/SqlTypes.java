package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Django field whose PostgreSQL column has a given SQL type, so that a column a statement
 * adds or retypes is judged as the field: varchar(20) is CharField(max_length=20), bigint is
 * BigIntegerField. Only exact matches are mapped; any other type becomes a field class migsafe
 * does not know ("sql:<type>"), which the rules treat as unknown rather than guess.
 */
public final class SqlTypes {

    public record DjangoField(String fieldClass, Map<String, Value> kwargs) {}

    private static final Pattern SIZED = Pattern.compile("(varchar|character varying|char|character|numeric|decimal)\\s*\\((\\d+)(?:\\s*,\\s*(\\d+))?\\)");

    private SqlTypes() {}

    public static DjangoField of(String type) {
        Map<String, Value> kw = new LinkedHashMap<>();
        String t = type == null ? "" : type.strip().replace("pg_catalog.", "");
        Matcher m = SIZED.matcher(t);
        if (m.matches()) {
            String base = m.group(1);
            if (base.startsWith("var") || base.equals("character varying")) {
                kw.put("max_length", num(m.group(2)));
                return new DjangoField("django.db.models.CharField", kw);
            }
            if (base.startsWith("numeric") || base.startsWith("decimal")) {
                kw.put("max_digits", num(m.group(2)));
                kw.put("decimal_places", num(m.group(3) == null ? "0" : m.group(3)));
                return new DjangoField("django.db.models.DecimalField", kw);
            }
            return new DjangoField("sql:" + t, kw); // char(n) pads: no Django field is it
        }
        String cls = switch (t) {
            case "text", "varchar", "character varying" -> "django.db.models.TextField";
            case "integer", "int", "int4" -> "django.db.models.IntegerField";
            case "bigint", "int8" -> "django.db.models.BigIntegerField";
            case "smallint", "int2" -> "django.db.models.SmallIntegerField";
            case "boolean", "bool" -> "django.db.models.BooleanField";
            case "double precision", "float8" -> "django.db.models.FloatField";
            case "timestamp with time zone", "timestamptz" -> "django.db.models.DateTimeField";
            case "date" -> "django.db.models.DateField";
            case "time", "time without time zone" -> "django.db.models.TimeField";
            case "interval" -> "django.db.models.DurationField";
            case "uuid" -> "django.db.models.UUIDField";
            case "jsonb" -> "django.db.models.JSONField";
            case "inet" -> "django.db.models.GenericIPAddressField";
            case "bytea" -> "django.db.models.BinaryField";
            default -> "sql:" + t;
        };
        return new DjangoField(cls, kw);
    }

    /**
     * The auto-increment class an AutoField column becomes when SQL changes its type (ALTER COLUMN
     * id TYPE bigint keeps the column's sequence default): BigAutoField for bigint; null when the
     * field is no auto field or the new type has none.
     */
    static String autoField(String fieldClass, String newClass) {
        if (!fieldClass.endsWith("AutoField")) {
            return null;
        }
        return switch (newClass.substring(newClass.lastIndexOf('.') + 1)) {
            case "BigIntegerField" -> "django.db.models.BigAutoField";
            case "IntegerField" -> "django.db.models.AutoField";
            case "SmallIntegerField" -> "django.db.models.SmallAutoField";
            default -> null;
        };
    }

    private static Value num(String digits) {
        return new Value.Num(new java.math.BigInteger(digits), 0, 0);
    }
}
