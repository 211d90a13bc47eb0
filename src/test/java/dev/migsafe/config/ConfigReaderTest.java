package dev.migsafe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Severity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every key read into its value, and every kind of mistake named with the closest valid word. */
class ConfigReaderTest {

    private static final Vocabulary WORDS = new Vocabulary(
            () -> new LinkedHashSet<>(List.of("C101", "C102", "C199", "L209", "P004")),
            List.of("postgresql", "mysql", "sqlite"),
            name -> List.of("postgresql", "postgres", "mysql", "sqlite").contains(name),
            text -> text.matches("\\d+(\\.\\d+){0,2}"),
            name -> List.of("CharField", "models.CharField", "django.db.models.ForeignKey").contains(name)
                    ? "django.db.models." + name.substring(name.lastIndexOf('.') + 1) : null,
            () -> new LinkedHashSet<>(List.of("CharField", "ForeignKey", "DateField")));

    private static final ConfigReader READER = new ConfigReader(WORDS);

    private static byte[] toml(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Config migsafeToml(String text) throws Config.Invalid {
        return READER.fromRepository(null, toml(text));
    }

    private static String error(String migsafeToml) {
        return assertThrows(Config.Invalid.class, () -> migsafeToml(migsafeToml)).getMessage();
    }

    @Test
    void readsEveryKey() throws Exception {
        Config c = migsafeToml("""
                database = "mysql"
                django = "4.2"
                default-branch = "develop"
                include = ["**/migrations/*.py", "**/db_migrations/*.py"]
                exclude = ["legacy/**"]
                disable = ["c199", "L209"]
                fail-on = "warning"
                baseline = ".migsafe-baseline.json"

                [app-labels]
                "project/catalog" = "shop_catalog"

                [swappable]
                AUTH_USER_MODEL = "users.User"

                [severity]
                C101 = "warning"
                P004 = "error"

                [start-after]
                orders = "0042_remove_order_note"

                [custom-operations]
                "pgtrigger.AddTrigger" = "compatible"
                "myapp.ops.Backfill" = "Two-Phase"

                [field-types]
                "phonenumber_field.modelfields.PhoneNumberField" = "CharField"
                "wagtail.images.fields.WagtailImageField" = "django.db.models.ForeignKey"
                """);
        assertEquals(".migsafe.toml", c.source());
        assertEquals("mysql", c.database());
        assertEquals("4.2", c.django());
        assertEquals("develop", c.defaultBranch());
        assertEquals(List.of("**/migrations/*.py", "**/db_migrations/*.py"), c.include());
        assertEquals(List.of("legacy/**"), c.exclude());
        assertEquals(Set.of("C199", "L209"), c.disable(), "rule ids are matched ignoring case and kept as the catalogue spells them");
        assertEquals("warning", c.failOn());
        assertEquals(".migsafe-baseline.json", c.baseline());
        assertEquals(Map.of("project/catalog", "shop_catalog"), c.appLabels());
        assertEquals(Map.of("AUTH_USER_MODEL", "users.User"), c.swappable());
        assertEquals(Map.of("C101", Severity.WARNING, "P004", Severity.ERROR), c.severity());
        assertEquals(Map.of("orders", "0042_remove_order_note"), c.startAfter());
        assertEquals(Map.of("pgtrigger.AddTrigger", DeployClass.COMPATIBLE, "myapp.ops.Backfill", DeployClass.TWO_PHASE),
                c.customOperations());
        assertEquals(Map.of("phonenumber_field.modelfields.PhoneNumberField", "django.db.models.CharField",
                "wagtail.images.fields.WagtailImageField", "django.db.models.ForeignKey"), c.fieldTypes());
        assertTrue(c.migrationPaths().matches("shop/db_migrations/0001_initial.py"));
    }

    @Test
    void noFileOrNoToolTableIsTheEmptyConfiguration() throws Exception {
        assertSame(Config.EMPTY, READER.fromRepository(null, null));
        assertSame(Config.EMPTY, READER.fromRepository(toml("[tool.black]\nline-length = 100\n"), null));
        Config empty = migsafeToml("");
        assertEquals(".migsafe.toml", empty.source());
        assertNull(empty.failOn());
        assertTrue(empty.disable().isEmpty() && empty.include().isEmpty());
    }

    @Test
    void pyprojectIsReadFromToolMigsafe() throws Exception {
        Config c = READER.fromRepository(toml("""
                [project]
                name = "shop"

                [tool.migsafe]
                fail-on = "never"

                [tool.migsafe.severity]
                C102 = "info"
                """), null);
        assertEquals("pyproject.toml [tool.migsafe]", c.source());
        assertEquals("never", c.failOn());
        assertEquals(Map.of("C102", Severity.INFO), c.severity());
    }

    @Test
    void bothFilesConfiguringMigsafeIsAnError() {
        String message = assertThrows(Config.Invalid.class, () -> READER.fromRepository(
                toml("[tool.migsafe]\nfail-on = \"never\"\n"), toml("fail-on = \"warning\"\n"))).getMessage();
        assertEquals(".migsafe.toml and pyproject.toml [tool.migsafe] both configure migsafe: keep one of them "
                + "(.migsafe.toml would otherwise hide the other)", message);
    }

    @Test
    void migsafeTomlWinsOverAPyprojectWithoutToolMigsafeEvenAnUnreadableOne() throws Exception {
        assertEquals("warning", READER.fromRepository(toml("[tool.ruff]\n"), toml("fail-on = \"warning\"\n")).failOn());
        assertEquals("warning", READER.fromRepository(toml("not = [toml"), toml("fail-on = \"warning\"\n")).failOn());
        assertThrows(Config.Invalid.class, () -> READER.fromRepository(toml("[tool.migsafe]\nnot = [toml"), null));
    }

    @Test
    void aPyprojectThatNeverNamesMigsafeIsNotRead() throws Exception {
        // Not even checked to be TOML: it cannot configure migsafe, and other tools report it.
        assertSame(Config.EMPTY, READER.fromRepository(toml("[tool.ruff]\nnot = [toml"), null));
        assertSame(Config.EMPTY, READER.fromRepository(toml("[project]\nname = \"shop\"\n"), null));
    }

    @Test
    void everySpellingOfTheTableIsFound() throws Exception {
        for (String pyproject : List.of(
                "[tool.migsafe]\nfail-on = \"never\"\n",
                "[ tool . migsafe ]\nfail-on = \"never\"\n",
                "[tool.\"migsafe\"]\nfail-on = \"never\"\n",
                "['tool'.'migsafe']\nfail-on = \"never\"\n",
                "tool.migsafe.fail-on = \"never\"\n[project]\nname = \"shop\"\n",
                "tool . migsafe . \"fail-on\" = \"never\"\n",
                "tool = { migsafe = { fail-on = \"never\" } }\n",
                "[tool]\nmigsafe = { fail-on = \"never\" }\n",
                "[tool]\nmigsafe.fail-on = \"never\"\n",
                "[tool.\"\\u006digsafe\"]\nfail-on = \"never\"\n",
                "[tool.\"\\U0000006Digsafe\"]\nfail-on = \"never\"\n")) {
            assertTrue(ConfigReader.mayConfigureMigsafe(toml(pyproject)), pyproject);
            assertEquals("never", READER.fromRepository(toml(pyproject), null).failOn(), pyproject);
        }
        for (String other : List.of("", "[tool.ruff]\nline-length = 100\n", "[tool.mig-safe]\nx = 1\n",
                "[tool.MIGSAFE]\nx = 1\n", "name = 'C:\\\\tools'\n")) {
            assertEquals(false, ConfigReader.mayConfigureMigsafe(toml(other)), other);
        }
    }

    @Test
    void aGivenFileIsReadAtTheTopLevelUnlessItIsAPyproject() throws Exception {
        assertEquals("never", READER.fromFile("ci/migsafe.toml", toml("fail-on = \"never\"\n")).failOn());
        assertEquals("ci/migsafe.toml", READER.fromFile("ci/migsafe.toml", toml("")).source());
        Config py = READER.fromFile("other/pyproject.toml", toml("[tool.migsafe]\nfail-on = \"never\"\n"));
        assertEquals("never", py.failOn());
        assertEquals("other/pyproject.toml [tool.migsafe]", py.source());
        assertEquals("other/pyproject.toml has no [tool.migsafe] table",
                assertThrows(Config.Invalid.class, () -> READER.fromFile("other/pyproject.toml", toml("[tool.x]\n"))).getMessage());
    }

    @Test
    void unknownKeysSuggestTheClosest() {
        assertEquals(".migsafe.toml: unknown key 'fail_on'; did you mean 'fail-on'?", error("fail_on = \"never\""));
        assertEquals(".migsafe.toml: unknown key 'databse'; did you mean 'database'?", error("databse = \"mysql\""));
        assertEquals(".migsafe.toml: unknown key 'startafter'; did you mean 'start-after'?", error("[startafter]\n"));
        assertEquals(".migsafe.toml: unknown key 'colour'; the keys are database, django, postgresql, lock-timeout, "
                + "default-branch, include, "
                + "exclude, app-labels, swappable, disable, severity, fail-on, baseline, start-after, custom-operations, "
                + "field-types",
                error("colour = true"));
        assertEquals(".migsafe.toml: unknown key 'tool'; in .migsafe.toml the keys go at the top level, without "
                + "[tool.migsafe]", error("[tool.migsafe]\nfail-on = \"never\"\n"));
        assertEquals("pyproject.toml [tool.migsafe]: unknown key 'failon'; did you mean 'fail-on'?",
                assertThrows(Config.Invalid.class, () -> READER.fromRepository(
                        toml("[tool.migsafe]\nfailon = \"never\"\n"), null)).getMessage());
    }

    @Test
    void valuesOfTheWrongType() {
        assertEquals(".migsafe.toml: 'disable' must be an array of strings, e.g. [\"C199\", \"L209\"], not the string \"C101\"",
                error("disable = \"C101\""));
        assertEquals(".migsafe.toml: 'include' must be an array of strings, e.g. [\"legacy/**\"]; it holds the number 3",
                error("include = [3]"));
        assertEquals(".migsafe.toml: 'fail-on' must be a string, not true", error("fail-on = true"));
        assertEquals(".migsafe.toml: 'app-labels' must be a table of strings ([tool.migsafe.app-labels]), not an array",
                error("app-labels = [\"a\"]"));
        assertEquals(".migsafe.toml: 'app-labels.\"project/catalog\"' must be a non-empty string, not the number 3",
                error("[app-labels]\n\"project/catalog\" = 3\n"));
        assertEquals(".migsafe.toml: 'default-branch' must not be empty", error("default-branch = \"\""));
        assertEquals(".migsafe.toml: 'django' must be a string such as \"5.1\" (quoted), not the number 4.1",
                error("django = 4.10"));
        assertEquals("pyproject.toml: 'tool.migsafe' must be a table ([tool.migsafe]), not the string \"x\"",
                assertThrows(Config.Invalid.class, () -> READER.fromRepository(toml("[tool]\nmigsafe = \"x\"\n"), null))
                        .getMessage());
    }

    @Test
    void badValuesNameTheClosestValidOne() {
        assertEquals(".migsafe.toml: 'database' must be postgresql, mysql or sqlite, not 'postgress'; did you mean 'postgresql'?",
                error("database = \"postgress\""));
        assertEquals(".migsafe.toml: 'database' must be postgresql, mysql or sqlite, not 'oracle'", error("database = \"oracle\""));
        assertEquals(".migsafe.toml: 'django' must be a Django version such as \"5.1\", not 'five'", error("django = \"five\""));
        assertEquals(".migsafe.toml: 'fail-on' must be error, warning or never, not 'warnings'; did you mean 'warning'?",
                error("fail-on = \"warnings\""));
        assertEquals(".migsafe.toml: 'disable' names no rule 'C1O1'; did you mean 'C101'?", error("disable = [\"C1O1\"]"));
        assertEquals(".migsafe.toml: 'disable' names no rule 'Z999' (`migsafe rules` lists them)", error("disable = [\"Z999\"]"));
        assertEquals(".migsafe.toml: 'severity' names no rule 'C1011'; did you mean 'C101'?", error("[severity]\nC1011 = \"info\"\n"));
        assertEquals(".migsafe.toml: 'severity.C101' must be error, warning or info, not 'warn'; did you mean 'warning'?",
                error("[severity]\nC101 = \"warn\"\n"));
        assertEquals(".migsafe.toml: 'custom-operations.\"pgtrigger.AddTrigger\"' must be compatible, review, two-phase or "
                + "downtime, not 'twophase'; did you mean 'two-phase'?", error("[custom-operations]\n\"pgtrigger.AddTrigger\" = \"twophase\"\n"));
        assertEquals(".migsafe.toml: 'custom-operations.\"pgtrigger AddTrigger\"' must name an operation class, such as "
                + "\"pgtrigger.AddTrigger\"", error("[custom-operations]\n\"pgtrigger AddTrigger\" = \"review\"\n"));
        assertEquals(".migsafe.toml: 'field-types.\"phonenumber_field.PhoneNumberField\"' must name a Django field class "
                + "whose column migsafe knows (such as \"CharField\" or \"django.db.models.ForeignKey\"), not 'CharFeild'; "
                + "did you mean 'CharField'?", error("[field-types]\n\"phonenumber_field.PhoneNumberField\" = \"CharFeild\"\n"));
        assertEquals(".migsafe.toml: 'field-types.\"my field\"' must name a field class, such as "
                + "\"phonenumber_field.modelfields.PhoneNumberField\"", error("[field-types]\n\"my field\" = \"CharField\"\n"));
        assertEquals(".migsafe.toml: 'start-after.orders' must be a migration name such as \"0042_remove_order_note\" "
                + "(no folder, no .py), not '0042_remove_order_note.py'", error("[start-after]\norders = \"0042_remove_order_note.py\"\n"));
        assertEquals(".migsafe.toml: 'swappable.AUTH_USER_MODEL' must name a model as \"app_label.ModelName\", not 'User'",
                error("[swappable]\nAUTH_USER_MODEL = \"User\"\n"));
        assertEquals(".migsafe.toml: 'exclude' has a pattern that is not a glob, 'legacy/[ab': '[' at position 8 is never closed",
                error("exclude = [\"legacy/[ab\"]"));
    }

    @Test
    void postgresqlIsAReleaseFrom96To19() throws Exception {
        PostgresqlVersion v = migsafeToml("postgresql = \"16\"").postgresql();
        assertEquals(16, v.major());
        assertTrue(v.configured());
        assertEquals("16", migsafeToml("postgresql = 16").postgresql().toString(), "a whole number is accepted");
        assertEquals("16", migsafeToml("postgresql = \"16.4\"").postgresql().toString(), "a minor release counts as its major");
        assertEquals("9.6", migsafeToml("postgresql = \"9.6\"").postgresql().toString());
        assertNull(migsafeToml("").postgresql(), "unset: the rules take the oldest the Django version supports");
        assertEquals(".migsafe.toml: 'postgresql' must be a PostgreSQL release from 9.6 to 19, such as \"16\", not '9.5'; "
                + "did you mean '9.6'?", error("postgresql = \"9.5\""));
        assertEquals(".migsafe.toml: 'postgresql' must be a PostgreSQL release from 9.6 to 19, such as \"16\", not '20'; "
                + "did you mean '19'?", error("postgresql = 20"));
        assertEquals(".migsafe.toml: 'postgresql' must be a PostgreSQL release from 9.6 to 19, such as \"16\", not 'pg16'; "
                + "did you mean '16'?", error("postgresql = \"pg16\""));
        assertEquals(".migsafe.toml: 'postgresql' must be a PostgreSQL release from 9.6 to 19, such as \"16\", not 'latest'",
                error("postgresql = \"latest\""));
        assertEquals(".migsafe.toml: 'postgresql' must be a string such as \"16\" or \"9.6\" (quoted), not the number 9.6",
                error("postgresql = 9.6"));
        assertEquals(".migsafe.toml: 'postgresql' must be a string, not true", error("postgresql = true"));
        assertEquals(".migsafe.toml: unknown key 'postgres'; did you mean 'postgresql'?", error("postgres = \"16\""));
    }

    @Test
    void lockTimeoutIsADurationAsPostgresqlWritesIt() throws Exception {
        LockTimeout t = migsafeToml("lock-timeout = \"2s\"").lockTimeout();
        assertEquals("2s", t.value());
        assertEquals(2_000, t.millis());
        assertEquals("lock-timeout = \"2s\" in .migsafe.toml", t.source());
        assertTrue(t.coversRawSql(), "a declared timeout is the session's: it covers every statement");
        LockTimeout ms = READER.fromRepository(toml("[tool.migsafe]\nlock-timeout = 1500\n"), null).lockTimeout();
        assertEquals(1_500, ms.millis(), "a whole number is milliseconds, as PostgreSQL reads it");
        assertEquals("lock-timeout = 1500 in pyproject.toml [tool.migsafe]", ms.source());
        assertEquals(0, migsafeToml("lock-timeout = \"0\"").lockTimeout().millis(), "0 declares that none is in effect");
        assertNull(migsafeToml("").lockTimeout());
        assertEquals(".migsafe.toml: 'lock-timeout' must be a duration as PostgreSQL writes it, such as \"2s\", \"500ms\" or "
                + "\"1min\" (\"0\" for none), not '2 seconds'; did you mean '2s'?", error("lock-timeout = \"2 seconds\""));
        assertEquals(".migsafe.toml: 'lock-timeout' must be a duration as PostgreSQL writes it, such as \"2s\", \"500ms\" or "
                + "\"1min\" (\"0\" for none), not '1m'; did you mean '1min'?", error("lock-timeout = \"1m\""));
        assertEquals(".migsafe.toml: 'lock-timeout' must be a duration as PostgreSQL writes it, such as \"2s\", \"500ms\" or "
                + "\"1min\" (\"0\" for none), not '-1'", error("lock-timeout = -1"));
        assertEquals(".migsafe.toml: 'lock-timeout' is over PostgreSQL's limit for lock_timeout, 2147483647ms (about 24 days): "
                + "'30d'", error("lock-timeout = \"30d\""));
        assertEquals(".migsafe.toml: 'lock-timeout' must be a string such as \"2s\" (quoted), not the number 1.5",
                error("lock-timeout = 1.5"));
        assertEquals(".migsafe.toml: unknown key 'lock_timeout'; did you mean 'lock-timeout'?", error("lock_timeout = \"2s\""));
    }

    @Test
    void invalidTomlSaysWhereAndAliasesAreAccepted() throws Exception {
        assertEquals(".migsafe.toml is not valid TOML: duplicate key (line 3, column 1)", error("a = 1\na = 2\n"));
        assertEquals("postgres", migsafeToml("database = \"postgres\"").database());
    }
}
