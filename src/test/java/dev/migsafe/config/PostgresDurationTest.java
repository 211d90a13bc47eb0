package dev.migsafe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** lock_timeout values as PostgreSQL reads them. */
class PostgresDurationTest {

    @Test
    void numbersWithEveryUnit() {
        assertEquals(2_000L, PostgresDuration.millis("2s"));
        assertEquals(500L, PostgresDuration.millis("500ms"));
        assertEquals(500L, PostgresDuration.millis("500"), "milliseconds without a unit");
        assertEquals(60_000L, PostgresDuration.millis("1min"));
        assertEquals(7_200_000L, PostgresDuration.millis("2h"));
        assertEquals(86_400_000L, PostgresDuration.millis("1d"));
        assertEquals(2L, PostgresDuration.millis("1500us"), "rounded to the nearest millisecond");
        assertEquals(1_500L, PostgresDuration.millis("1.5s"));
        assertEquals(2_000L, PostgresDuration.millis(" 2 s "), "spaces around the number and the unit");
        assertEquals(0L, PostgresDuration.millis("0"));
        assertEquals(0L, PostgresDuration.millis("0ms"));
    }

    @Test
    void whatTheServerRefuses() {
        for (String bad : new String[] {"2S", "2 seconds", "1m", "-1", "1e3", "'2s'", "", "s", "2s2", "0x10"}) {
            assertNull(PostgresDuration.millis(bad), bad);
        }
        assertNull(PostgresDuration.millis("25d"), "over INT_MAX milliseconds");
        assertTrue(PostgresDuration.overLimit("25d"));
        assertFalse(PostgresDuration.overLimit("24d"));
        assertFalse(PostgresDuration.overLimit("2 seconds"), "refused for its unit, not its size");
    }

    @Test
    void suggestionsWriteTheUnitAsPostgresqlDoes() {
        assertEquals("2s", PostgresDuration.suggestion("2 seconds"));
        assertEquals("2s", PostgresDuration.suggestion("2S"));
        assertEquals("2s", PostgresDuration.suggestion("2sec"));
        assertEquals("1min", PostgresDuration.suggestion("1m"));
        assertEquals("3h", PostgresDuration.suggestion("3 hours"));
        assertEquals("500ms", PostgresDuration.suggestion("500 msec"));
        assertNull(PostgresDuration.suggestion("2 fortnights"));
        assertNull(PostgresDuration.suggestion("soon"));
        assertNull(PostgresDuration.suggestion("30 days"), "30d is over the limit: no suggestion the server refuses");
    }
}
