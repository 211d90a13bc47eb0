package dev.migsafe.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time setting as PostgreSQL reads lock_timeout: a number (fractions allowed) with an optional
 * unit, us, ms, s, min, h or d (case-sensitive, as PostgreSQL has them), milliseconds without
 * one; 0 disables the timeout. Read the same way from the configuration and from a project's
 * settings, so that both mean what the server would make of them.
 */
public final class PostgresDuration {

    private PostgresDuration() {}

    /** PostgreSQL's limit for lock_timeout: INT_MAX milliseconds (about 24.8 days). */
    static final long MAX_MILLIS = Integer.MAX_VALUE;

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(us|ms|s|min|h|d)?\\s*");

    private static final Map<String, Double> MILLIS_PER_UNIT = Map.of(
            "us", 0.001, "ms", 1.0, "s", 1_000.0, "min", 60_000.0, "h", 3_600_000.0, "d", 86_400_000.0);

    /** Words people write for a unit -> the unit PostgreSQL reads, for suggestions. */
    private static final Map<String, String> UNIT_WORDS = Map.ofEntries(
            Map.entry("us", "us"), Map.entry("usec", "us"), Map.entry("microsecond", "us"),
            Map.entry("microseconds", "us"), Map.entry("ms", "ms"), Map.entry("msec", "ms"),
            Map.entry("msecs", "ms"), Map.entry("millisecond", "ms"), Map.entry("milliseconds", "ms"),
            Map.entry("s", "s"), Map.entry("sec", "s"), Map.entry("secs", "s"), Map.entry("second", "s"),
            Map.entry("seconds", "s"), Map.entry("m", "min"), Map.entry("min", "min"), Map.entry("mins", "min"),
            Map.entry("minute", "min"), Map.entry("minutes", "min"), Map.entry("h", "h"), Map.entry("hr", "h"),
            Map.entry("hrs", "h"), Map.entry("hour", "h"), Map.entry("hours", "h"), Map.entry("d", "d"),
            Map.entry("day", "d"), Map.entry("days", "d"));

    private static final Pattern LOOSE = Pattern.compile("\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([A-Za-z]+)\\s*");

    /**
     * The milliseconds a value stands for (rounded to the nearest, as the server rounds), or
     * null when PostgreSQL would refuse it for lock_timeout: not a number with a known unit,
     * negative, or over its limit.
     */
    public static Long millis(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        double millis = Math.rint(value * MILLIS_PER_UNIT.get(m.group(2) == null ? "ms" : m.group(2)));
        return millis > MAX_MILLIS ? null : (long) millis;
    }

    /** Whether a value is a duration PostgreSQL reads but over its limit for lock_timeout. */
    static boolean overLimit(String text) {
        Matcher m = DURATION.matcher(text);
        return m.matches() && millis(text) == null;
    }

    /**
     * What was probably meant by a value {@link #millis} refuses, written the way PostgreSQL
     * reads it ("2 seconds", "2S" and "2sec" are "2s"; "1m" is "1min"), or null.
     */
    static String suggestion(String text) {
        Matcher m = LOOSE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String unit = UNIT_WORDS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            return null;
        }
        String fixed = m.group(1) + unit;
        return millis(fixed) == null ? null : fixed;
    }
}
