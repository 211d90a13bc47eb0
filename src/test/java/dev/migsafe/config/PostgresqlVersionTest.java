package dev.migsafe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PostgreSQL releases as configured, and the oldest each Django release supports. */
class PostgresqlVersionTest {

    @Test
    void configuredReleasesFrom96To19() {
        assertEquals("9.6", PostgresqlVersion.parse("9.6").toString());
        assertEquals("9.6", PostgresqlVersion.parse("9.6.24").toString());
        assertEquals("16", PostgresqlVersion.parse("16").toString());
        assertEquals("16", PostgresqlVersion.parse(" 16.4 ").toString(), "a minor release counts as its major");
        assertEquals(19, PostgresqlVersion.parse("19").major());
        assertTrue(PostgresqlVersion.parse("16").configured());
        for (String bad : new String[] {"9", "9.5", "8.4", "20", "100", "sixteen", "PG16", "16beta1", "", "-16",
                "99999999999999999999"}) {
            assertNull(PostgresqlVersion.parse(bad), bad);
        }
    }

    @Test
    void theClosestAcceptedReleaseIsSuggested() {
        assertEquals("9.6", PostgresqlVersion.closest("9.5"));
        assertEquals("9.6", PostgresqlVersion.closest("8"));
        assertEquals("19", PostgresqlVersion.closest("20"));
        assertEquals("16", PostgresqlVersion.closest("PG16"));
        assertEquals("16", PostgresqlVersion.closest("16beta1"));
        assertNull(PostgresqlVersion.closest("sixteen"));
    }

    private static String oldestFor(int major, int minor) {
        PostgresqlVersion v = PostgresqlVersion.oldestSupportedBy(major, minor);
        assertEquals(PostgresqlVersion.Origin.DJANGO, v.origin());
        assertFalse(v.configured());
        return v.toString();
    }

    @Test
    void theOldestReleaseEachDjangoSupports() {
        assertEquals("9.3", oldestFor(2, 0));
        assertEquals("9.4", oldestFor(2, 2));
        assertEquals("9.5", oldestFor(3, 1));
        assertEquals("9.6", oldestFor(3, 2));
        assertEquals("10", oldestFor(4, 0));
        assertEquals("11", oldestFor(4, 1), "Django 4.1 dropped PostgreSQL 10");
        assertEquals("12", oldestFor(4, 2));
        assertEquals("12", oldestFor(5, 0));
        assertEquals("13", oldestFor(5, 1));
        assertEquals("14", oldestFor(5, 2));
        assertEquals("14", oldestFor(6, 0));
        assertEquals("15", oldestFor(6, 1));
        assertEquals("15", oldestFor(7, 0), "a later Django keeps the newest known floor");
        assertEquals("9.1", oldestFor(1, 8), "an older Django than the table knows takes its first row");
    }

    @Test
    void versionGatesCountByMajorRelease() {
        PostgresqlVersion v96 = PostgresqlVersion.parse("9.6");
        assertTrue(v96.atLeast(9));
        assertFalse(v96.atLeast(10));
        PostgresqlVersion v12 = PostgresqlVersion.parse("12");
        assertTrue(v12.atLeast(11));
        assertTrue(v12.atLeast(12));
        assertFalse(v12.atLeast(13));
    }

    @Test
    void describeSaysWhereTheReleaseComesFrom() {
        assertEquals("PostgreSQL 16", PostgresqlVersion.parse("16").describe());
        assertEquals("PostgreSQL 12 (the oldest Django 4.2 supports; set `postgresql` in the configuration)",
                PostgresqlVersion.oldestSupportedBy(4, 2).describe());
        assertEquals("PostgreSQL 12 (assumed: set `postgresql` in the configuration)", PostgresqlVersion.ASSUMED.describe());
        assertEquals(PostgresqlVersion.Origin.ASSUMED, PostgresqlVersion.ASSUMED.origin());
    }
}
