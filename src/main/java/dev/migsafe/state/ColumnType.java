package dev.migsafe.state;

/**
 * A database column type: the base name (varchar, numeric, integer, ...) with its length or
 * precision/scale where it has them (null = unlimited or not applicable). {@link #sql()} is how
 * it reads in DDL.
 */
public record ColumnType(String base, Integer length, Integer precision, Integer scale) {

    public static ColumnType of(String base) {
        return new ColumnType(base, null, null, null);
    }

    public String sql() {
        if (length != null) {
            return base + "(" + length + ")";
        }
        if (precision != null) {
            return base + "(" + precision + (scale == null ? "" : ", " + scale) + ")";
        }
        return base;
    }

    /**
     * Whether changing a column from this type to {@code to} keeps the stored bytes valid so that
     * PostgreSQL skips the table rewrite (and old values always fit): varchar(n) -> varchar(m > n),
     * varchar -> text or unlimited varchar, numeric(p, s) -> numeric(q > p, s) or unconstrained;
     * varchar or text -> citext (the extension casts them WITHOUT FUNCTION: the bytes stay, only
     * comparisons turn case-insensitive, and indexes on the column are rebuilt for citext's
     * operator class, see {@link #caseInsensitiveFrom}).
     */
    public boolean widensTo(ColumnType to) {
        if (equals(to)) {
            return true;
        }
        boolean fromText = base.equals("varchar") || base.equals("text");
        if (fromText && (to.base.equals("text") || to.base.equals("citext") || to.base.equals("varchar") && to.length == null)) {
            return true;
        }
        if (base.equals("varchar") && to.base.equals("varchar")) {
            return length != null && to.length != null && to.length > length;
        }
        if (base.equals("numeric") && to.base.equals("numeric")) {
            if (to.precision == null) {
                return true;
            }
            return precision != null && to.precision >= precision && java.util.Objects.equals(scale, to.scale);
        }
        return false;
    }

    /** Whether this type is citext and {@code from} a case-sensitive text type: comparisons, and uniqueness, ignore case from now on. */
    public boolean caseInsensitiveFrom(ColumnType from) {
        return base.equals("citext") && (from.base.equals("varchar") || from.base.equals("text"));
    }

    /** Whether the change lowers a length or precision (old values may not fit): varchar(n) -> varchar(m < n). */
    public boolean shrinksTo(ColumnType to) {
        if (!base.equals(to.base) && !(base.equals("text") && to.base.equals("varchar"))) {
            return false;
        }
        if (base.equals("text") && to.base.equals("varchar")) {
            return to.length != null;
        }
        if (length != null || to.length != null) {
            return to.length != null && (length == null || to.length < length);
        }
        if (to.precision != null && (precision == null || to.precision < precision)) {
            return true;
        }
        return to.scale != null && scale != null && to.scale < scale;
    }
}
