package dev.migsafe.rules.suppress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Migration;
import dev.migsafe.rules.FindingPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings a project accepted on the day it adopted migsafe (`migsafe baseline write`), as
 * {@link Fingerprint}s that survive line shifts. Later runs mark a finding that matches one as
 * suppressed with the reason "baseline"; each entry matches one finding, so a second finding of
 * the same rule on the same operation is new. The file is versioned JSON (docs/suppressions.md).
 */
public final class Baseline {

    public static final String SCHEMA = "migsafe/baseline/1";
    public static final String REASON = "baseline";
    public static final String DEFAULT_FILE = ".migsafe-baseline.json";

    /** A baseline file that cannot be used; the message is one sentence naming the file. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    private final List<Fingerprint> entries;

    private Baseline(List<Fingerprint> entries) {
        this.entries = entries.stream().sorted().toList();
    }

    public List<Fingerprint> entries() {
        return entries;
    }

    /** Marks findings found in the baseline as suppressed; {@code head} names their operations. */
    public FindingPolicy policy(LoadedSnapshot head) {
        Map<Fingerprint, Integer> left = new HashMap<>();
        entries.forEach(e -> left.merge(e, 1, Integer::sum));
        Map<String, Migration> migrations = migrations(head);
        return f -> {
            if (f.isSuppressed()) {
                return f;
            }
            Fingerprint key = Fingerprint.of(f, migrations.get(f.path()));
            Integer n = left.get(key);
            if (n == null || n == 0) {
                return f;
            }
            left.put(key, n - 1);
            return f.suppress(REASON);
        };
    }

    /** Records the findings that pass through it unsuppressed, for `baseline write`. */
    public static final class Recorder implements FindingPolicy {

        private final List<Finding> seen = new ArrayList<>();
        private LoadedSnapshot head;
        private Path file;

        /** Where the baseline goes (decided by the run, which knows the configuration). */
        public Recorder to(Path target) {
            this.file = target;
            return this;
        }

        public Path file() {
            return file;
        }

        /** The snapshot whose migrations the recorded findings concern. */
        public Recorder on(LoadedSnapshot snapshot) {
            this.head = snapshot;
            return this;
        }

        @Override
        public Finding apply(Finding f) {
            if (!f.isSuppressed()) {
                seen.add(f);
            }
            return f;
        }

        public Baseline baseline() {
            Map<String, Migration> migrations = head == null ? Map.of() : migrations(head);
            return new Baseline(seen.stream().map(f -> Fingerprint.of(f, migrations.get(f.path()))).toList());
        }
    }

    private static Map<String, Migration> migrations(LoadedSnapshot head) {
        Map<String, Migration> out = new HashMap<>();
        for (MigrationGraph.LabeledFile f : head.files()) {
            if (f.file().migration() != null) {
                out.put(f.file().path(), f.file().migration());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ file

    /** The largest baseline read: a few hundred bytes a finding; anything larger is not one migsafe wrote. */
    static final long MAX_BYTES = 64L << 20;

    /**
     * Reads a baseline file; only a regular file (a symlink to one is followed: where it may
     * lead was checked by whoever chose the path) of at most {@link #MAX_BYTES} is opened: a
     * FIFO would block, a device never end.
     */
    public static Baseline read(Path file) throws Invalid {
        byte[] bytes;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new Invalid("cannot read the baseline file " + file + ": it is "
                        + (attributes.isDirectory() ? "a folder" : "not a regular file"));
            }
            if (attributes.size() > MAX_BYTES) {
                throw new Invalid("cannot read the baseline file " + file + ": it is larger than " + (MAX_BYTES >> 20)
                        + " MB, which no baseline is");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Invalid("the baseline file " + file + " does not exist: create it with `migsafe baseline write`");
        } catch (IOException e) {
            throw new Invalid("cannot read the baseline file " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw invalid(file, "it is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "it is not a JSON object");
        }
        String schema = root.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw invalid(file, schema.startsWith("migsafe/baseline/")
                    ? "its format " + schema + " is not " + SCHEMA + " (written by another migsafe version)"
                    : "it has no \"schema\": \"" + SCHEMA + "\"");
        }
        JsonNode findings = root.get("findings");
        if (findings == null || !findings.isArray()) {
            throw invalid(file, "it has no \"findings\" list");
        }
        List<Fingerprint> entries = new ArrayList<>();
        for (JsonNode e : findings) {
            String rule = text(e, "rule");
            if (rule == null) {
                throw invalid(file, "an entry of \"findings\" has no \"rule\"");
            }
            entries.add(new Fingerprint(rule, text(e, "app"), text(e, "migration"), text(e, "anchor"), text(e, "path")));
        }
        return new Baseline(entries);
    }

    private static Invalid invalid(Path file, String why) {
        return new Invalid(file + " is not a usable migsafe baseline (" + why + "): rewrite it with `migsafe baseline write`");
    }

    private static String text(JsonNode e, String key) {
        JsonNode v = e.get(key);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    public String json(String version) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        root.putObject("tool").put("name", "migsafe").put("version", version);
        ArrayNode list = root.putArray("findings");
        for (Fingerprint f : entries) {
            ObjectNode o = list.addObject();
            o.put("rule", f.rule());
            putIfSet(o, "app", f.app());
            putIfSet(o, "migration", f.migration());
            putIfSet(o, "path", f.path());
            o.put("anchor", f.anchor());
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
