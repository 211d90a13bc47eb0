package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.migsafe.GitScenario;
import dev.migsafe.config.Config;
import dev.migsafe.config.LockTimeout;
import dev.migsafe.git.GitRepository;
import dev.migsafe.rules.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL release and lock_timeout `analyze` gives the rules, from a real repository:
 * the configuration of the analysed commit (or the work tree) and the settings modules of the
 * same commit (or work tree), the configuration winning.
 */
class AnalyzeSettingsTest {

    @TempDir
    Path dir;

    private static final String SETTINGS_WITH_TIMEOUT = """
            DATABASES = {
                "default": {
                    "ENGINE": "django.db.backends.postgresql",
                    "OPTIONS": {"options": "-c lock_timeout=5s"},
                }
            }
            """;

    /** shop/settings.py as {@code settings}, .migsafe.toml as {@code config} (none when null), committed. */
    private GitScenario project(String settings, String config) {
        GitScenario repo = GitScenario.create(dir).write("shop/settings.py", settings);
        if (config != null) {
            repo.write(".migsafe.toml", config);
        }
        return repo.commit("project");
    }

    /** What analyze of HEAD gives the rules, with --django when {@code django} is not null. */
    private Settings atHead(String django) throws Exception {
        try (GitRepository git = GitRepository.open(dir.toFile())) {
            AnalyzeCommand command = new AnalyzeCommand();
            command.configOptions = new ConfigOptions();
            command.django = django;
            Config config = command.configOptions.atCommit(git, git.commit("HEAD"));
            return command.settings(config);
        }
    }

    private Settings inWorkTree() throws Exception {
        try (GitRepository git = GitRepository.open(dir.toFile())) {
            AnalyzeCommand command = new AnalyzeCommand();
            command.configOptions = new ConfigOptions();
            return command.settings(command.configOptions.inWorkTree(git));
        }
    }

    @Test
    void theSettingsOfTheAnalysedCommitSetTheTimeout() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, null)) {
            LockTimeout t = atHead(null).lockTimeout();
            assertEquals("5s", t.value());
            assertEquals("shop/settings.py:4: DATABASES[\"default\"][\"OPTIONS\"][\"options\"] sets -c lock_timeout=5s",
                    t.source());
        }
    }

    @Test
    void theConfigurationWinsAndZeroDeclaresNone() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "lock-timeout = \"2s\"\n")) {
            assertEquals("lock-timeout = \"2s\" in .migsafe.toml", atHead(null).lockTimeout().source());
        }
    }

    @Test
    void zeroInTheConfigurationDeclaresNoneWhateverTheSettingsSay() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "lock-timeout = \"0\"\n")) {
            assertNull(atHead(null).lockTimeout());
        }
    }

    @Test
    void onlyPostgresqlHasALockTimeout() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "database = \"mysql\"\nlock-timeout = \"2s\"\n")) {
            assertNull(atHead(null).lockTimeout());
        }
    }

    @Test
    void settingsAreReadForTheTimeoutAlsoWhenIncludeReplacesTheDiscovery() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "include = [\"**/migrations/*.py\"]\n")) {
            assertEquals("5s", atHead(null).lockTimeout().value());
        }
    }

    @Test
    void theWorkTreesSettingsForStagedAndWorktreeRuns() throws Exception {
        try (GitScenario repo = project("DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\"}}\n",
                null)) {
            repo.write("shop/settings.py", SETTINGS_WITH_TIMEOUT);
            assertNull(atHead(null).lockTimeout(), "the commit's settings set none");
            assertEquals("5s", inWorkTree().lockTimeout().value(), "the edit on disk does");
        }
    }

    @Test
    void thePostgresqlReleaseIsConfiguredElseTheOldestTheDjangoVersionSupports() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "django = \"5.1\"\n")) {
            assertEquals("13", atHead(null).postgresql().toString());
            assertEquals("PostgreSQL 14 (the oldest Django 5.2 supports; set `postgresql` in the configuration)",
                    atHead("5.2").postgresql().describe(), "--django wins over the configuration, and the release follows");
        }
    }

    @Test
    void aConfiguredPostgresqlReleaseIsKept() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, "django = \"4.2\"\npostgresql = \"17\"\n")) {
            Settings s = atHead("3.2");
            assertEquals("17", s.postgresql().toString());
            assertEquals("PostgreSQL 17", s.postgresql().describe());
        }
    }

    @Test
    void withNeitherPostgresqlNorDjangoTwelveIsAssumed() throws Exception {
        try (GitScenario repo = project(SETTINGS_WITH_TIMEOUT, null)) {
            assertEquals("PostgreSQL 12 (assumed: set `postgresql` in the configuration)",
                    atHead(null).postgresql().describe());
        }
    }
}
