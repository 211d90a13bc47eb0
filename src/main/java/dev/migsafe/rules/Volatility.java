package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import java.util.regex.Pattern;

/**
 * Whether a default is volatile: PostgreSQL (from 11) stores a non-volatile default of a new
 * column in the catalog, but evaluates a volatile one for every existing row, rewriting the table.
 * now(), CURRENT_TIMESTAMP and statement_timestamp() are STABLE (one value per statement), so they
 * do not rewrite; random(), clock_timestamp(), gen_random_uuid(), uuid_generate_v*(), nextval()
 * and timeofday() are volatile. One list for Django's expressions (Func, RawSQL: Ddl) and SQL.
 */
public final class Volatility {

    private static final String NAMES = "random|uuid|clock_timestamp|nextval|timeofday|setseed|txid_current";

    /** A volatile function's name anywhere in a name or SQL text (Func(function="RANDOM"), RawSQL). */
    public static final Pattern NAME = Pattern.compile(NAMES, Pattern.CASE_INSENSITIVE);

    /** A call of a volatile function in a SQL expression (gen_random_uuid(), not the string 'random'). */
    private static final Pattern CALL = Pattern.compile("\\w*(?:" + NAMES + ")\\w*\\s*\\(", Pattern.CASE_INSENSITIVE);

    private Volatility() {}

    static boolean volatileDefault(DbChange c) {
        return c.has(DbChange.Flag.DEFAULT) && c.expression() != null
                && CALL.matcher(c.expression().replaceAll("'(?:[^']|'')*'", "''")).find();
    }
}
