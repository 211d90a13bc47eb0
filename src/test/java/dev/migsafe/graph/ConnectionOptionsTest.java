package dev.migsafe.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The libpq options string as the server reads its switches. */
class ConnectionOptionsTest {

    private static String value(String options) {
        ConnectionOptions.Switch s = ConnectionOptions.last(options, "lock_timeout");
        return s == null ? null : s.value();
    }

    @Test
    void everyFormOfTheSwitch() {
        assertEquals("5s", value("-c lock_timeout=5s"));
        assertEquals("5s", value("-clock_timeout=5s"));
        assertEquals("5s", value("--lock_timeout=5s"));
        assertEquals("5s", value("--lock-timeout=5s"), "the server reads - as _ in a setting's name");
        assertEquals("5s", value("-c LOCK_TIMEOUT=5s"), "setting names are case-insensitive");
        assertEquals("5000", value("  -c   statement_timeout=0   -c lock_timeout=5000  "));
    }

    @Test
    void theLastSwitchWins() {
        assertEquals("0", value("-c lock_timeout=5s --lock-timeout=0"));
        assertEquals("--lock-timeout=0", ConnectionOptions.last("-c lock_timeout=5s --lock-timeout=0", "lock_timeout")
                .written());
        assertEquals("-c lock_timeout=5s", ConnectionOptions.last("-c lock_timeout=5s", "lock_timeout").written());
    }

    @Test
    void otherSettingsAndWordsAreNotIt() {
        assertNull(value("-c statement_timeout=5s -c idle_in_transaction_session_timeout=5s"));
        assertNull(value("-c lock_timeout"), "no value");
        assertNull(value("-c"), "a switch with nothing after it");
        assertNull(value("lock_timeout=5s"), "not a switch");
    }

    @Test
    void aBackslashEscapesASpaceAndQuotesStay() {
        assertEquals(List.of("-c", "search_path=my schema", "-c", "x='y'"),
                ConnectionOptions.words("-c search_path=my\\ schema -c x='y'"));
        assertEquals("'5s'", value("-c lock_timeout='5s'"), "a quote is part of the value, which the server refuses");
    }
}
