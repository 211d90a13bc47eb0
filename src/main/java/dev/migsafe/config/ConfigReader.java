package dev.migsafe.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.migsafe.git.Glob;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Severity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads `[tool.migsafe]` of pyproject.toml or the top level of .migsafe.toml (or a file given
 * with --config) into a {@link Config}, checking every key and value: anything it cannot use is
 * an {@link Config.Invalid} whose one sentence names the file, the key and the closest valid
 * key or value.
 */
public final class ConfigReader {

    public static final String PYPROJECT = "pyproject.toml";
    public static final String MIGSAFE_TOML = ".migsafe.toml";
    private static final String PYPROJECT_SOURCE = PYPROJECT + " [tool.migsafe]";

    /** Every key, in the order docs/configuration.md lists them. */
    public static final List<String> KEYS = List.of("database", "django", "postgresql", "lock-timeout", "default-branch", "include", "exclude",
            "app-labels", "swappable", "disable", "severity", "fail-on", "baseline", "start-after",
            "custom-operations", "field-types");

    private static final List<String> FAIL_ON = List.of("error", "warning", "never");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)*");
    private static final Pattern MIGRATION_NAME = Pattern.compile("\\w+");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z_]\\w*\\.[A-Za-z_]\\w*");

    private final Vocabulary vocabulary;

    public ConfigReader(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * The configuration at a repository's root. Both files configuring migsafe is an error: one
     * would silently shadow the other. When .migsafe.toml exists, a pyproject.toml that is not
     * valid TOML is left alone (it cannot configure migsafe, and other tools report it); so is one
     * that never names migsafe ({@link #mayConfigureMigsafe}): the TOML parser is not even loaded
     * then, which is most of what reading the configuration costs a short run.
     *
     * @param pyproject pyproject.toml's bytes, or null when there is none
     * @param migsafeToml .migsafe.toml's bytes, or null when there is none
     */
    public Config fromRepository(byte[] pyproject, byte[] migsafeToml) throws Config.Invalid {
        JsonNode fromPyproject = null;
        if (pyproject != null && mayConfigureMigsafe(pyproject)) {
            try {
                fromPyproject = toolTable(parse(pyproject, PYPROJECT), PYPROJECT);
            } catch (Config.Invalid e) {
                if (migsafeToml == null) {
                    throw e;
                }
            }
        }
        if (migsafeToml != null) {
            if (fromPyproject != null) {
                throw new Config.Invalid(MIGSAFE_TOML + " and " + PYPROJECT_SOURCE
                        + " both configure migsafe: keep one of them (.migsafe.toml would otherwise hide the other)");
            }
            return table(parse(migsafeToml, MIGSAFE_TOML), MIGSAFE_TOML);
        }
        return fromPyproject == null ? Config.EMPTY : table(fromPyproject, PYPROJECT_SOURCE);
    }

    private static final byte[] MIGSAFE = {'m', 'i', 'g', 's', 'a', 'f', 'e'};

    /**
     * Whether a TOML file can hold a `tool.migsafe` table, told from its bytes without parsing:
     * never false for one that does. However the table is written (`[tool.migsafe]`, `[ tool .
     * "migsafe" ]`, dotted keys such as `tool.migsafe.fail-on = ...` at the top level, inline tables),
     * the key's characters stand together in the file: a key cannot span lines, and TOML has no
     * string concatenation. Only an escape in a quoted key (backslash, u, 006d for the m) can
     * spell it otherwise, so any backslash followed by u, U or x in the file counts as a yes too.
     */
    static boolean mayConfigureMigsafe(byte[] toml) {
        for (int i = 0; i < toml.length; i++) {
            byte b = toml[i];
            if (b == '\\' && i + 1 < toml.length && (toml[i + 1] == 'u' || toml[i + 1] == 'U' || toml[i + 1] == 'x')) {
                return true;
            }
            if (b == 'm' && matches(toml, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] toml, int at) {
        if (at + MIGSAFE.length > toml.length) {
            return false;
        }
        for (int k = 1; k < MIGSAFE.length; k++) {
            if (toml[at + k] != MIGSAFE[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A file given with --config: `[tool.migsafe]` when it is named pyproject.toml, else the keys
     * at its top level.
     *
     * @param name the path as the user gave it (for messages)
     */
    public Config fromFile(String name, byte[] bytes) throws Config.Invalid {
        JsonNode root = parse(bytes, name);
        String base = name.substring(name.replace('\\', '/').lastIndexOf('/') + 1);
        if (base.equals(PYPROJECT)) {
            JsonNode t = toolTable(root, name);
            if (t == null) {
                throw new Config.Invalid(name + " has no [tool.migsafe] table");
            }
            return table(t, name + " [tool.migsafe]");
        }
        return table(root, name);
    }

    private static JsonNode parse(byte[] bytes, String name) throws Config.Invalid {
        try {
            return new TomlMapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            String what = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("");
            what = what.isEmpty() ? what : Character.toLowerCase(what.charAt(0)) + what.substring(1);
            JsonLocation at = e.getLocation();
            throw new Config.Invalid(name + " is not valid TOML: " + what
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new Config.Invalid("cannot read " + name + ": " + e.getMessage());
        }
    }

    /** `[tool.migsafe]`, or null when the file has none. */
    private static JsonNode toolTable(JsonNode root, String name) throws Config.Invalid {
        JsonNode t = root.path("tool").path("migsafe");
        if (t.isMissingNode()) {
            return null;
        }
        if (!t.isObject()) {
            throw new Config.Invalid(name + ": 'tool.migsafe' must be a table ([tool.migsafe]), not " + kind(t));
        }
        return t;
    }

    private Config table(JsonNode t, String source) throws Config.Invalid {
        Check c = new Check(source);
        for (var it = t.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw c.unknownKey(key);
            }
        }
        return new Config(source,
                c.choice(t, "database", vocabulary.databases(), vocabulary.isDatabase()),
                c.django(t, vocabulary),
                c.text(t, "default-branch"),
                c.globs(t, "include"),
                c.globs(t, "exclude"),
                c.strings(t, "app-labels"),
                c.swappable(t),
                c.ruleIds(t, "disable", vocabulary.ruleIds()),
                c.severities(t, vocabulary.ruleIds()),
                c.choice(t, "fail-on", FAIL_ON, FAIL_ON::contains),
                c.text(t, "baseline"),
                c.startAfter(t),
                c.customOperations(t),
                c.fieldTypes(t, vocabulary),
                c.postgresql(t),
                c.lockTimeout(t));
    }

    /** The checks of one file's table; every failure names {@code source} and the key. */
    private record Check(String source) {

        Config.Invalid fail(String key, String problem) {
            return new Config.Invalid(source + ": '" + key + "' " + problem);
        }

        Config.Invalid unknownKey(String key) {
            if (key.equals("tool") && source.equals(MIGSAFE_TOML)) {
                return new Config.Invalid(source + ": unknown key 'tool'; in .migsafe.toml the keys go at the top"
                        + " level, without [tool.migsafe]");
            }
            String near = Edits.closest(key, KEYS);
            return new Config.Invalid(source + ": unknown key '" + key + "'" + (near != null
                    ? "; did you mean '" + near + "'?" : "; the keys are " + String.join(", ", KEYS)));
        }

        String text(JsonNode t, String key) throws Config.Invalid {
            JsonNode n = t.get(key);
            if (n == null) {
                return null;
            }
            if (!n.isTextual()) {
                throw fail(key, "must be a string, not " + kind(n));
            }
            if (n.asText().isBlank()) {
                throw fail(key, "must not be empty");
            }
            return n.asText();
        }

        /** One of a few words; {@code accepts} may know aliases that {@code valid} does not list. */
        String choice(JsonNode t, String key, List<String> valid, Predicate<String> accepts)
                throws Config.Invalid {
            String v = text(t, key);
            if (v != null && !accepts.test(v)) {
                throw fail(key, "must be " + or(valid) + ", not '" + v + "'" + suggest(v, valid));
            }
            return v;
        }

        String django(JsonNode t, Vocabulary vocabulary) throws Config.Invalid {
            JsonNode n = t.get("django");
            if (n != null && n.isNumber()) {
                // 4.10 written as a number is 4.1: only a string keeps the version as written.
                throw fail("django", "must be a string such as \"5.1\" (quoted), not the number " + n.asText());
            }
            String v = text(t, "django");
            if (v != null && !vocabulary.isDjangoVersion().test(v)) {
                throw fail("django", "must be a Django version such as \"5.1\", not '" + v + "'");
            }
            return v;
        }

        /** A PostgreSQL release: "16" or 16, "9.6"; a minor release ("16.4") counts as its major. */
        PostgresqlVersion postgresql(JsonNode t) throws Config.Invalid {
            String text = textOrWholeNumber(t, "postgresql", "\"16\" or \"9.6\"");
            if (text == null) {
                return null;
            }
            PostgresqlVersion v = PostgresqlVersion.parse(text);
            if (v == null) {
                String near = PostgresqlVersion.closest(text);
                throw fail("postgresql", "must be a PostgreSQL release from 9.6 to " + PostgresqlVersion.NEWEST_MAJOR
                        + ", such as \"16\", not '" + text + "'" + (near == null ? "" : "; did you mean '" + near + "'?"));
            }
            return v;
        }

        /**
         * A lock_timeout in PostgreSQL's syntax ("2s", "500ms", "1min"; a bare number is
         * milliseconds, as the server reads it; "0" declares none).
         */
        LockTimeout lockTimeout(JsonNode t) throws Config.Invalid {
            String text = textOrWholeNumber(t, "lock-timeout", "\"2s\"");
            if (text == null) {
                return null;
            }
            if (PostgresDuration.overLimit(text)) {
                throw fail("lock-timeout", "is over PostgreSQL's limit for lock_timeout, " + PostgresDuration.MAX_MILLIS
                        + "ms (about 24 days): '" + text + "'");
            }
            if (PostgresDuration.millis(text) == null) {
                String near = PostgresDuration.suggestion(text);
                throw fail("lock-timeout", "must be a duration as PostgreSQL writes it, such as \"2s\", \"500ms\" or "
                        + "\"1min\" (\"0\" for none), not '" + text + "'" + (near == null ? "" : "; did you mean '" + near + "'?"));
            }
            String written = t.get("lock-timeout").isTextual() ? "\"" + text + "\"" : text;
            return new LockTimeout(text.trim(), "lock-timeout = " + written + " in " + source);
        }

        /** A string, or a whole number as its digits; a fraction is refused (TOML would round-trip 9.60 as 9.6). */
        private String textOrWholeNumber(JsonNode t, String key, String example) throws Config.Invalid {
            JsonNode n = t.get(key);
            if (n == null) {
                return null;
            }
            if (n.isIntegralNumber()) {
                return n.asText();
            }
            if (n.isNumber()) {
                throw fail(key, "must be a string such as " + example + " (quoted), not the number " + n.asText());
            }
            return text(t, key);
        }

        List<String> stringList(JsonNode t, String key, String example) throws Config.Invalid {
            JsonNode n = t.get(key);
            if (n == null) {
                return List.of();
            }
            if (!n.isArray()) {
                throw fail(key, "must be an array of strings, e.g. " + example + ", not " + kind(n));
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw fail(key, "must be an array of strings, e.g. " + example + "; it holds " + kind(e));
                }
                out.add(e.asText());
            }
            return List.copyOf(out);
        }

        List<String> globs(JsonNode t, String key) throws Config.Invalid {
            List<String> globs = stringList(t, key, "[\"legacy/**\"]");
            for (String g : globs) {
                try {
                    Glob.of(g);
                } catch (IllegalArgumentException e) {
                    throw fail(key, "has a pattern that is not a glob, '" + g + "': " + e.getMessage());
                }
            }
            return globs;
        }

        /** A table of strings; entries are reported as 'key.name'. */
        Map<String, String> strings(JsonNode t, String key) throws Config.Invalid {
            JsonNode n = t.get(key);
            if (n == null) {
                return Map.of();
            }
            if (!n.isObject()) {
                throw fail(key, "must be a table of strings ([tool.migsafe." + key + "]), not " + kind(n));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw fail(key + "." + quoted(e.getKey()), "must be a non-empty string, not " + kind(e.getValue()));
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return Collections.unmodifiableMap(out);
        }

        Map<String, String> swappable(JsonNode t) throws Config.Invalid {
            Map<String, String> map = strings(t, "swappable");
            for (var e : map.entrySet()) {
                if (!MODEL.matcher(e.getValue()).matches()) {
                    throw fail("swappable." + quoted(e.getKey()), "must name a model as \"app_label.ModelName\", not '"
                            + e.getValue() + "'");
                }
            }
            return map;
        }

        String ruleId(String key, String id, Supplier<Set<String>> known) throws Config.Invalid {
            Set<String> ruleIds = known.get();
            for (String r : ruleIds) {
                if (r.equalsIgnoreCase(id)) {
                    return r;
                }
            }
            String near = suggest(id, ruleIds);
            throw fail(key, "names no rule '" + id + "'" + (near.isEmpty() ? " (`migsafe rules` lists them)" : near));
        }

        Set<String> ruleIds(JsonNode t, String key, Supplier<Set<String>> ruleIds) throws Config.Invalid {
            Set<String> out = new LinkedHashSet<>();
            for (String id : stringList(t, key, "[\"C199\", \"L209\"]")) {
                out.add(ruleId(key, id, ruleIds));
            }
            return Collections.unmodifiableSet(out);
        }

        Map<String, Severity> severities(JsonNode t, Supplier<Set<String>> ruleIds) throws Config.Invalid {
            List<String> levels = List.of(Severity.ERROR.label(), Severity.WARNING.label(), Severity.INFO.label());
            Map<String, Severity> out = new LinkedHashMap<>();
            for (var e : strings(t, "severity").entrySet()) {
                String id = ruleId("severity", e.getKey(), ruleIds);
                String v = e.getValue().toLowerCase(Locale.ROOT);
                if (!levels.contains(v)) {
                    throw fail("severity." + e.getKey(), "must be " + or(levels) + ", not '" + e.getValue() + "'"
                            + suggest(v, levels));
                }
                out.put(id, Severity.valueOf(v.toUpperCase(Locale.ROOT)));
            }
            return Collections.unmodifiableMap(out);
        }

        Map<String, String> startAfter(JsonNode t) throws Config.Invalid {
            Map<String, String> map = strings(t, "start-after");
            for (var e : map.entrySet()) {
                if (!MIGRATION_NAME.matcher(e.getValue()).matches()) {
                    throw fail("start-after." + quoted(e.getKey()), "must be a migration name such as "
                            + "\"0042_remove_order_note\" (no folder, no .py), not '" + e.getValue() + "'");
                }
            }
            return map;
        }

        Map<String, DeployClass> customOperations(JsonNode t) throws Config.Invalid {
            List<String> classes = Arrays.stream(DeployClass.values()).map(DeployClass::label).toList();
            Map<String, DeployClass> out = new LinkedHashMap<>();
            for (var e : strings(t, "custom-operations").entrySet()) {
                String key = "custom-operations." + quoted(e.getKey());
                if (!QUALIFIED_NAME.matcher(e.getKey()).matches()) {
                    throw fail(key, "must name an operation class, such as \"pgtrigger.AddTrigger\"");
                }
                String v = e.getValue().toLowerCase(Locale.ROOT);
                DeployClass cls = Arrays.stream(DeployClass.values()).filter(d -> d.label().equals(v)).findFirst()
                        .orElse(null);
                if (cls == null) {
                    throw fail(key, "must be " + or(classes) + ", not '" + e.getValue() + "'" + suggest(v, classes));
                }
                out.put(e.getKey(), cls);
            }
            return Collections.unmodifiableMap(out);
        }

        Map<String, String> fieldTypes(JsonNode t, Vocabulary words) throws Config.Invalid {
            Map<String, String> out = new LinkedHashMap<>();
            for (var e : strings(t, "field-types").entrySet()) {
                String key = "field-types." + quoted(e.getKey());
                if (!QUALIFIED_NAME.matcher(e.getKey()).matches()) {
                    throw fail(key, "must name a field class, such as \"phonenumber_field.modelfields.PhoneNumberField\"");
                }
                String django = words.djangoFieldClass().apply(e.getValue().trim());
                if (django == null) {
                    String given = e.getValue().trim();
                    String simple = given.substring(given.lastIndexOf('.') + 1);
                    throw fail(key, "must name a Django field class whose column migsafe knows (such as \"CharField\" "
                            + "or \"django.db.models.ForeignKey\"), not '" + given + "'"
                            + suggest(simple, words.djangoFieldClasses().get()));
                }
                out.put(e.getKey(), django);
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** "; did you mean 'x'?" when a valid value is close, else "". */
    private static String suggest(String given, Collection<String> valid) {
        String near = Edits.closest(given, valid);
        return near == null ? "" : "; did you mean '" + near + "'?";
    }

    private static String or(List<String> words) {
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    /** A table key as TOML needs it written: dotted names in quotes. */
    private static String quoted(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "the string \"" + n.asText() + "\"";
        }
        if (n.isNumber() || n.isBoolean()) {
            return (n.isNumber() ? "the number " : "") + n.asText();
        }
        return n.isArray() ? "an array" : n.isObject() ? "a table" : "an empty value";
    }
}
