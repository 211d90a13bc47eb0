package dev.migsafe.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * migsafe's configuration: `[tool.migsafe]` in pyproject.toml, or the top level of
 * .migsafe.toml (which wins). This first reader knows the keys the graph needs: `app-labels`
 * (app folder -> label), `swappable` (setting -> "app.Model") and `default-branch`; the full key
 * set and its validation come with the rest of the configuration.
 */
public record Config(Map<String, String> appLabels, Map<String, String> swappable, String defaultBranch) {

    public static final Config EMPTY = new Config(Map.of(), Map.of(), null);

    /** Thrown for a file that is not valid TOML or a key with a value of the wrong shape. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * @param pyproject pyproject.toml's bytes, or null
     * @param migsafeToml .migsafe.toml's bytes, or null
     */
    public static Config parse(byte[] pyproject, byte[] migsafeToml) throws Invalid {
        JsonNode table = null;
        String source = null;
        if (migsafeToml != null) {
            table = read(migsafeToml, ".migsafe.toml");
            source = ".migsafe.toml";
        } else if (pyproject != null) {
            JsonNode root = read(pyproject, "pyproject.toml");
            table = root.path("tool").path("migsafe");
            source = "pyproject.toml [tool.migsafe]";
        }
        if (table == null || table.isMissingNode() || table.isNull()) {
            return EMPTY;
        }
        return new Config(strings(table, "app-labels", source), strings(table, "swappable", source),
                text(table, "default-branch", source));
    }

    private static JsonNode read(byte[] bytes, String name) throws Invalid {
        try {
            return new TomlMapper().readTree(bytes);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new Invalid(name + " is not valid TOML: " + msg);
        }
    }

    private static Map<String, String> strings(JsonNode table, String key, String source) throws Invalid {
        JsonNode node = table.get(key);
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new Invalid(source + ": `" + key + "` must be a table of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new Invalid(source + ": `" + key + "." + e.getKey() + "` must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Map.copyOf(out);
    }

    private static String text(JsonNode table, String key, String source) throws Invalid {
        JsonNode node = table.get(key);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(source + ": `" + key + "` must be a string");
        }
        return node.asText();
    }
}
