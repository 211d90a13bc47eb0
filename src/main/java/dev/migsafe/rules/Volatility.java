package dev.migsafe.rules;

import dev.migsafe.sql.DbChange;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a SQL default is volatile: PostgreSQL (from 11) stores a non-volatile default of a new
 * column in the catalog, but evaluates a volatile one for every existing row, rewriting the table.
 * now(), CURRENT_TIMESTAMP and statement_timestamp() are STABLE (one value per statement), so they
 * do not rewrite; random(), clock_timestamp(), gen_random_uuid(), uuid_generate_v*(), nextval()
 * and timeofday() are volatile.
 */
final class Volatility {

    private static final Pattern VOLATILE = Pattern.compile(
            "\\b(random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|nextval|setseed|txid_current)\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    private Volatility() {}

    static boolean volatileDefault(DbChange c) {
        return c.has(DbChange.Flag.DEFAULT) && c.expression() != null
                && VOLATILE.matcher(c.expression().toLowerCase(Locale.ROOT)).find();
    }
}
