package dev.migsafe.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL release migrations run against, as far as version-gated facts need it: the
 * major version (10 and later count by their first number; the 9.x releases by 9 and their
 * second number, 9.6), and where it comes from, so that a fix can say whether the version was
 * the user's or migsafe's assumption.
 *
 * @param major 9 for the 9.x releases, else 10, 11, ...
 * @param minor the x of 9.x; 0 from 10 on (minor releases never change what a statement locks)
 * @param origin where the version comes from
 * @param django the Django version the version was derived from ({@link Origin#DJANGO}), else null
 */
public record PostgresqlVersion(int major, int minor, Origin origin, String django) {

    /** Where a version comes from. */
    public enum Origin {
        /** The `postgresql` key of the configuration. */
        CONFIGURED,
        /** The oldest release the configured Django supports. */
        DJANGO,
        /** Neither `postgresql` nor `django` is configured: {@link #ASSUMED}. */
        ASSUMED
    }

    /** The newest release the configuration accepts (the oldest is 9.6). */
    static final int NEWEST_MAJOR = 19;

    /** What the `postgresql` key accepts, for messages and suggestions: 9.6, 10 ... 19. */
    public static final List<String> VALID;

    static {
        List<String> valid = new ArrayList<>(List.of("9.6"));
        for (int m = 10; m <= NEWEST_MAJOR; m++) {
            valid.add(Integer.toString(m));
        }
        VALID = Collections.unmodifiableList(valid);
    }

    /**
     * What migsafe assumes when neither `postgresql` nor `django` is configured: 12. Every
     * Django from 4.2 on requires 12 or later, and older servers are past PostgreSQL's own end of
     * life; the facts migsafe gates arrive in 11, 12 and 18, so 12 lets fixes use what 11 and 12
     * brought (REINDEX CONCURRENTLY, a scan-free SET NOT NULL) without promising what only a
     * newer server has (docs/decisions/0013).
     */
    public static final PostgresqlVersion ASSUMED = new PostgresqlVersion(12, 0, Origin.ASSUMED, null);

    /**
     * The oldest PostgreSQL each Django release supports (Django's release notes and its
     * "Supported database versions" page): {django major, django minor, pg major, pg minor},
     * in order. A Django release after the last row keeps the last row's floor.
     */
    private static final int[][] DJANGO_FLOORS = {
            {1, 9, 9, 1}, {1, 10, 9, 2}, {1, 11, 9, 3}, {2, 1, 9, 4}, {3, 0, 9, 5}, {3, 2, 9, 6},
            {4, 0, 10, 0}, {4, 1, 11, 0}, {4, 2, 12, 0}, {5, 1, 13, 0}, {5, 2, 14, 0}, {6, 1, 15, 0}};

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.\\d+)?");

    /**
     * A configured version: "16", "16.4" (a minor release: only 16 matters), "9.6" or "9.6.24";
     * null when it is no release the configuration accepts.
     */
    public static PostgresqlVersion parse(String text) {
        Matcher m = VERSION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int major;
        try {
            major = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (major == 9) {
            return "6".equals(m.group(2)) ? new PostgresqlVersion(9, 6, Origin.CONFIGURED, null) : null;
        }
        return major >= 10 && major <= NEWEST_MAJOR ? new PostgresqlVersion(major, 0, Origin.CONFIGURED, null) : null;
    }

    /**
     * The closest version the configuration accepts to a text that is none, or null: the
     * number in "PG16" or "v16", 9.6 for an older 9.x or 8.x, 19 for a later one.
     */
    static String closest(String text) {
        Matcher digits = Pattern.compile("(\\d+)(?:\\.(\\d+))?").matcher(text);
        if (!digits.find()) {
            return null;
        }
        int major;
        try {
            major = Integer.parseInt(digits.group(1));
        } catch (NumberFormatException e) {
            return VALID.get(VALID.size() - 1);
        }
        if (major < 10) {
            return "9.6";
        }
        return Integer.toString(Math.min(major, NEWEST_MAJOR));
    }

    /** The oldest PostgreSQL a Django release supports (9.x for Django before 4.0). */
    public static PostgresqlVersion oldestSupportedBy(int djangoMajor, int djangoMinor) {
        int[] floor = DJANGO_FLOORS[0];
        for (int[] row : DJANGO_FLOORS) {
            if (djangoMajor > row[0] || djangoMajor == row[0] && djangoMinor >= row[1]) {
                floor = row;
            }
        }
        return new PostgresqlVersion(floor[2], floor[3], Origin.DJANGO, djangoMajor + "." + djangoMinor);
    }

    /** Whether this release has what arrived in {@code release} (10, 11, ...; 9 for any 9.x). */
    public boolean atLeast(int release) {
        return major >= release;
    }

    /** Whether the user configured it (else it is the oldest their Django supports, or {@link #ASSUMED}). */
    public boolean configured() {
        return origin == Origin.CONFIGURED;
    }

    /**
     * The version with where it comes from, for a finding's message or fix: "PostgreSQL 16",
     * "PostgreSQL 12 (the oldest Django 4.2 supports; set `postgresql` in the configuration)",
     * "PostgreSQL 12 (assumed: set `postgresql` in the configuration)".
     */
    public String describe() {
        return switch (origin) {
            case CONFIGURED -> "PostgreSQL " + this;
            case DJANGO -> "PostgreSQL " + this + " (the oldest Django " + django
                    + " supports; set `postgresql` in the configuration)";
            case ASSUMED -> "PostgreSQL " + this + " (assumed: set `postgresql` in the configuration)";
        };
    }

    /** "9.6", "16". */
    @Override
    public String toString() {
        return major < 10 ? major + "." + minor : Integer.toString(major);
    }
}
