package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.migsafe.config.LockTimeout;
import dev.migsafe.config.PostgresqlVersion;
import dev.migsafe.state.Database;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PostgreSQL release and lock_timeout the rules are given. */
class SettingsTest {

    @Test
    void withoutAConfiguredReleaseTheOldestTheDjangoVersionSupportsApplies() {
        assertSame(PostgresqlVersion.ASSUMED, Settings.DEFAULT.postgresql(), "neither postgresql nor django configured");
        assertEquals("12", Settings.DEFAULT.postgresql().toString());
        Settings django41 = new Settings(Database.POSTGRESQL, DjangoVersion.parse("4.1"), Map.of());
        assertEquals("11", django41.postgresql().toString());
        assertEquals(PostgresqlVersion.Origin.DJANGO, django41.postgresql().origin());
        assertEquals("14", django41.withDjango(DjangoVersion.parse("5.2")).postgresql().toString(),
                "a derived release follows the Django version");
        assertEquals("9.6", new Settings(Database.POSTGRESQL, DjangoVersion.parse("3.2.25"), Map.of()).postgresql().toString());
    }

    @Test
    void aConfiguredReleaseStaysWhateverTheDjangoVersion() {
        Settings s = new Settings(Database.POSTGRESQL, DjangoVersion.parse("4.2"), Map.of(), PostgresqlVersion.parse("16"),
                null);
        assertEquals("16", s.postgresql().toString());
        assertEquals("16", s.withDjango(DjangoVersion.parse("3.2")).postgresql().toString());
        assertEquals("16", Settings.DEFAULT.withPostgresql(PostgresqlVersion.parse("16")).withDatabase(Database.MYSQL)
                .postgresql().toString());
    }

    @Test
    void aLockTimeoutOfZeroOrOneTheServerRefusesIsNone() {
        LockTimeout two = new LockTimeout("2s", "lock-timeout = \"2s\" in .migsafe.toml");
        assertEquals(two, Settings.DEFAULT.withLockTimeout(two).lockTimeout());
        assertNull(Settings.DEFAULT.withLockTimeout(new LockTimeout("0", "lock-timeout = \"0\" in .migsafe.toml"))
                .lockTimeout(), "0 disables the timeout");
        assertNull(Settings.DEFAULT.withLockTimeout(new LockTimeout("soon", "x")).lockTimeout());
        assertNull(Settings.DEFAULT.lockTimeout());
        assertEquals(two, Settings.DEFAULT.withLockTimeout(two).withDjango(DjangoVersion.parse("5.0")).lockTimeout());
    }
}
