package dev.migsafe.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.config.LockTimeout;
import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ModuleParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The lock_timeout a project's settings modules set, read from the projects under fixtures/settings. */
class SettingsLockTimeoutTest {

    /** The settings modules of a fixture project, with paths from its root, in path order. */
    private static List<SourceFile> settingsOf(String project) {
        Path root = Fixtures.ROOT.resolve("settings").resolve(project);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".py")).sorted().map(p -> {
                byte[] bytes = Fixtures.bytes(p);
                return new SourceFile(root.relativize(p).toString().replace('\\', '/'), null, () -> bytes);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LockTimeout read(String project) {
        return SettingsLockTimeout.read(settingsOf(project), new ModuleParser());
    }

    private static LockTimeout source(String path, String text) {
        return SettingsLockTimeout.read(List.of(new SourceFile(path, null, text::getBytes)), new ModuleParser());
    }

    @Test
    void theLastLockTimeoutSwitchOfTheDefaultDatabasesOptionsWins() {
        LockTimeout t = read("options_switch");
        assertEquals("5s", t.value());
        assertEquals(5_000, t.millis());
        assertEquals("shop/settings.py:16: DATABASES[\"default\"][\"OPTIONS\"][\"options\"] sets -c lock_timeout=5s",
                t.source());
        assertTrue(t.coversRawSql(), "a session setting covers RunSQL too");
    }

    @Test
    void moduleConstantsJoinedWithPlusAreRead() {
        LockTimeout t = read("options_module_constant");
        assertEquals("2500", t.value());
        assertEquals(2_500, t.millis(), "a bare number is milliseconds, as the server reads it");
        assertTrue(t.source().endsWith("sets --lock-timeout=2500"), t.source());
    }

    @Test
    void aModuleOfASettingsPackageSetsItOnTopOfTheBaseModulesDatabase() {
        LockTimeout t = read("split_package");
        assertEquals("3s", t.value());
        assertEquals("shop/settings/production.py:4: DATABASES[\"default\"][\"OPTIONS\"][\"options\"] sets -clock_timeout=3s",
                t.source());
    }

    @Test
    void zeroDowntimeMigrationsBackendWithItsLockTimeoutCoversDjangosSchemaOperationsOnly() {
        LockTimeout t = read("zero_downtime");
        assertEquals("2s", t.value());
        assertEquals(LockTimeout.Scope.SCHEMA_OPERATIONS, t.scope());
        assertFalse(t.coversRawSql(), "the backend sets lock_timeout only around its own ACCESS EXCLUSIVE statements");
        assertEquals("shop/settings.py:4: ENGINE django_zero_downtime_migrations.backends.postgres with "
                + "ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT set to 2s (shop/settings.py:8) sets lock_timeout for Django's "
                + "schema operations, not for RunSQL or SQL run from RunPython", t.source());
    }

    @Test
    void theBackendAndItsTimeoutAreTakenTogetherFromTwoModules() {
        LockTimeout t = read("zero_downtime_split");
        assertEquals("4000", t.value());
        assertEquals(4_000, t.millis());
        assertTrue(t.source().startsWith("shop/settings/base.py:3: ENGINE django_zero_downtime_migrations.backends.postgis"),
                "set through DATABASES[\"default\"].update(...): " + t.source());
        assertTrue(t.source().contains("(shop/settings/production.py:4)"), t.source());
    }

    @Test
    void noTimeoutIsKnownWhenNoneIsSetStatically() {
        assertNull(read("zero_downtime_engine_only"), "the backend alone sets none; \"0ms\" disables it");
        assertNull(read("runtime_values"), "environment variables and f-strings are unknown, never guessed");
        assertNull(read("disabled_and_conditional"), "0 disables it; a switch under `if` depends on the environment");
        assertNull(read("options_assigned_later"), "the dict that set it is replaced");
    }

    @Test
    void anotherDatabaseThanDefaultDecidesNothing() {
        assertNull(source("settings.py", """
                DATABASES = {
                    "default": {"ENGINE": "django.db.backends.postgresql"},
                    "analytics": {"OPTIONS": {"options": "-c lock_timeout=5s"}},
                }
                DATABASES["analytics"]["OPTIONS"]["options"] = "-c lock_timeout=1s"
                """));
    }

    @Test
    void assignmentsAndUpdatesAtEachDepthBelowDatabases() {
        assertEquals("7s", source("settings.py", """
                DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}
                DATABASES["default"]["OPTIONS"] = {}
                DATABASES["default"]["OPTIONS"]["options"] = "-c lock_timeout=7s"
                """).value());
        assertEquals("8s", source("settings.py", """
                DATABASES = {}
                DATABASES["default"] = {"OPTIONS": {"options": "-c lock_timeout=8s"}}
                """).value());
        assertEquals("9s", source("settings.py", """
                DATABASES = {"default": {"OPTIONS": {}}}
                DATABASES["default"]["OPTIONS"].update(options="-c lock_timeout=9s")
                """).value());
        assertEquals("1min", source("settings.py", """
                BASE = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c lock_timeout=10s"}}
                DATABASES: dict = {"default": {**BASE, "OPTIONS": {"options": "--lock_timeout=1min"}}}
                """).value(), "a later key overrides a spliced known dict; annotated assignments count");
        assertEquals("10s", source("settings.py", """
                BASE = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c lock_timeout=10s"}}
                DATABASES = {"default": {"NAME": "shop", **BASE}}
                """).value(), "a spliced known dict is read");
    }

    @Test
    void whatOnlyRunningTheModuleWouldTellHidesAnEarlierTimeout() {
        assertNull(source("settings.py", """
                import os
                DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=5s"}}}
                DATABASES["default"].update(os.environ.get("DB_OVERRIDES"))
                """), "an update with an unknown mapping may replace OPTIONS");
        assertNull(source("settings.py", """
                import os
                DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=5s"}}}
                DATABASES[os.environ["DB_ALIAS"]] = {"ENGINE": "django.db.backends.sqlite3"}
                """), "a key only running the module tells may be \"default\"");
        assertEquals("5s", source("settings.py", """
                DATABASES = {"default": {**OVERRIDES, "OPTIONS": {"options": "-c lock_timeout=5s"}}}
                """).value(), "the key written after an unknown mapping wins over it");
        assertNull(source("settings.py", """
                DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=5s"}, **OVERRIDES}}
                """), "an unknown mapping spliced after the key may replace it");
    }

    @Test
    void aSwitchAppendedToOptionsDecidesEvenAfterAnUnknownString() {
        LockTimeout t = source("settings/production.py", """
                from .base import *
                DATABASES["default"]["OPTIONS"]["options"] += " -c lock_timeout=4s"
                """);
        assertEquals("4s", t.value(), "the server applies switches in order: the appended one is the last");
        assertEquals("settings/production.py:2: DATABASES[\"default\"][\"OPTIONS\"][\"options\"] sets -c lock_timeout=4s",
                t.source());
        assertEquals("6s", source("settings.py", """
                DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=2s"}}}
                DATABASES["default"]["OPTIONS"]["options"] += " -c lock_timeout=6s"
                """).value());
    }

    @Test
    void aTryBodyCountsItsHandlersAndFunctionsDoNot() {
        assertEquals("5s", source("settings.py", """
                try:
                    from .local import *
                    DATABASES["default"]["OPTIONS"]["options"] = "-c lock_timeout=5s"
                except ImportError:
                    DATABASES = {"default": {}}
                """).value());
        assertNull(source("settings.py", """
                def configure():
                    DATABASES["default"]["OPTIONS"]["options"] = "-c lock_timeout=5s"
                """));
    }

    @Test
    void theOptionsSwitchWinsOverTheBackendsTimeoutAndTheFirstModuleInPathOrderWins() {
        LockTimeout t = SettingsLockTimeout.read(List.of(
                new SourceFile("a/settings.py", null, """
                        DATABASES = {"default": {"ENGINE": "django_zero_downtime_migrations.backends.postgres"}}
                        ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT = "2s"
                        """::getBytes),
                new SourceFile("b/settings.py", null, """
                        DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=3s"}}}
                        """::getBytes),
                new SourceFile("c/settings.py", null, """
                        DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=4s"}}}
                        """::getBytes)), new ModuleParser());
        assertEquals("3s", t.value(), "a session switch covers every statement, the backend's only its own");
        assertTrue(t.source().startsWith("b/settings.py:1:"), t.source());
    }

    @Test
    void aModuleThatAsksTheEvaluatorForTooMuchIsSkippedNotACrash() {
        StringBuilder bomb = new StringBuilder("S0 = \"-c lock_timeout=5s \"\n");
        for (int i = 1; i <= 40; i++) {
            bomb.append("S").append(i).append(" = S").append(i - 1).append(" + S").append(i - 1).append('\n');
        }
        bomb.append("DATABASES = {\"default\": {\"OPTIONS\": {\"options\": S40}}}\n");
        assertNull(source("settings.py", bomb.toString()));
        LockTimeout next = SettingsLockTimeout.read(List.of(new SourceFile("a/settings.py", null, bomb.toString()::getBytes),
                new SourceFile("b/settings.py", null, "DATABASES = {\"default\": {\"OPTIONS\": {\"options\": \"-c lock_timeout=1s\"}}}\n"::getBytes)),
                new ModuleParser());
        assertEquals("1s", next.value(), "the other modules are still read");
    }

    @Test
    void aModuleThatDoesNotParseIsSkipped() {
        assertNull(source("settings.py", "DATABASES = {\"default\": {\"OPTIONS\": {\"options\": \"-c lock_timeout=5s\"\n"));
    }

    @Test
    void aValueTheServerWouldRefuseIsNoTimeout() {
        assertNull(source("settings.py", """
                DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout='5s'"}}}
                """), "libpq does not strip quotes: the server refuses the value");
        assertNull(source("settings.py", """
                DATABASES = {"default": {"ENGINE": "django_zero_downtime_migrations.backends.postgres"}}
                ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT = None
                """));
    }
}
