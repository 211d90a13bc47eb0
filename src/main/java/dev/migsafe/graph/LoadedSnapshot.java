package dev.migsafe.graph;

import dev.migsafe.git.MigrationPaths;
import dev.migsafe.git.Snapshot;
import dev.migsafe.git.SourceFile;
import dev.migsafe.git.UnreadableFile;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.FieldClasses;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParallelParse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A snapshot read into migsafe's model: every migration file parsed and labelled with its app,
 * the graph built, and the findings of both (P rules from reading, G rules from the graph).
 */
public final class LoadedSnapshot {

    private final Snapshot snapshot;
    private final List<MigrationGraph.LabeledFile> files;
    private final Map<String, String> swappable;
    private final List<Finding> readFindings;
    private final ModuleParser parser;
    private final Map<String, String> fieldTypes;
    private FieldClasses fieldClasses;
    /** Built when first asked for: the base side of a range often never needs its graph. */
    private MigrationGraph graph;
    private List<Finding> findings;

    private LoadedSnapshot(Snapshot snapshot, List<MigrationGraph.LabeledFile> files, Map<String, String> swappable,
                           List<Finding> readFindings, ModuleParser parser, Map<String, String> fieldTypes) {
        this.parser = parser;
        this.fieldTypes = fieldTypes;
        this.snapshot = snapshot;
        this.files = files;
        this.swappable = swappable;
        this.readFindings = readFindings;
    }

    /**
     * @param appLabels configured app folder -> label overrides
     * @param swappable configured swappable settings (e.g. AUTH_USER_MODEL -> accounts.User)
     */
    public static LoadedSnapshot load(Snapshot snapshot, MigrationReader reader, ModuleParser parser,
                                      Map<String, String> appLabels, Map<String, String> swappable) {
        return load(snapshot, reader, parser, appLabels, swappable, MigrationPaths.DEFAULT, Map.of());
    }

    /**
     * @param paths the migration paths the snapshot was read with: a file of an app whose
     *     MIGRATION_MODULES point elsewhere (or to None) is not loaded, as Django does not
     * @param fieldTypes configured field classes -> the Django field class each stands for (canonical)
     */
    public static LoadedSnapshot load(Snapshot snapshot, MigrationReader reader, ModuleParser parser,
                                      Map<String, String> appLabels, Map<String, String> swappable,
                                      MigrationPaths paths, Map<String, String> fieldTypes) {
        List<Finding> findings = new ArrayList<>();
        AppLabels labels = new AppLabels(reporting(snapshot.appConfigs(), findings), appLabels, parser, paths);
        // What the cache lacks (every file on a first run) is parsed on all cores first.
        List<ParallelParse.Source> sources = new ArrayList<>();
        for (SourceFile source : snapshot.migrations().values()) {
            sources.add(new ParallelParse.Source(source.blobId(), source.path(), source::bytes));
        }
        ParallelParse.prime(sources, parser.cache());
        List<MigrationGraph.LabeledFile> files = new ArrayList<>();
        // New cache entries are written together when the loop ends (one pack for many).
        parser.cache().beginBatch();
        try {
            for (SourceFile source : snapshot.migrations().values()) {
                String app = labels.labelFor(source.path());
                if (paths.isShadowed(source.path(), app)) {
                    continue;
                }
                MigrationFile file = read(reader, source);
                files.add(new MigrationGraph.LabeledFile(app, file));
                for (Diagnostic d : file.diagnostics()) {
                    findings.add(new Finding(d.rule(), severity(d.rule()), file.path(), d.line(), d.column(), app,
                            MigrationGraph.migrationName(file.path()), d.message(),
                            d.message().startsWith(ModuleParser.CANNOT_READ) ? UNREADABLE_FIX : fix(d.rule())));
                }
            }
        } finally {
            parser.cache().endBatch();
        }
        return new LoadedSnapshot(snapshot, Collections.unmodifiableList(files), Map.copyOf(swappable), findings, parser,
                Map.copyOf(fieldTypes));
    }

    /**
     * A migration file read into the model; one whose content cannot be had (missing from the
     * clone, a link) becomes a file with a P006 error, which the graph takes like one that does
     * not parse (no operations, no dependencies), and the other files are read as usual.
     */
    private static MigrationFile read(MigrationReader reader, SourceFile source) {
        String reason = UnreadableFile.knownReason(source);
        if (reason == null) {
            try {
                return reader.read(source.path(), source.blobId(), source::bytes);
            } catch (UnreadableFile e) {
                reason = e.getMessage();
            }
        }
        Diagnostic error = new Diagnostic(Diagnostic.UNREADABLE, 1, 1, reason);
        return new MigrationFile(source.path(), MigrationFile.Status.ERROR, error, List.of(error), null, null, null, false);
    }

    /**
     * The apps.py files, each reporting a P006 finding when its content cannot be had (its
     * label then defaults to the folder's name, which the finding says may be wrong).
     */
    private static Map<String, SourceFile> reporting(Map<String, SourceFile> appConfigs, List<Finding> findings) {
        Map<String, SourceFile> out = new java.util.TreeMap<>();
        appConfigs.forEach((path, f) -> out.put(path, new SourceFile(f.path(), f.blobId(), () -> {
            try {
                return f.bytes();
            } catch (UnreadableFile e) {
                findings.add(new Finding(Diagnostic.UNREADABLE, Severity.ERROR, path, 1, 1, null, null, e.getMessage()
                        + "; the app's label is taken from its folder's name", fix(Diagnostic.UNREADABLE)));
                throw e;
            }
        })));
        return out;
    }

    private static Severity severity(String rule) {
        return switch (rule) {
            case Diagnostic.NOT_A_MIGRATION -> Severity.INFO;
            case Diagnostic.DYNAMIC -> Severity.WARNING;
            default -> Severity.ERROR;
        };
    }

    /** The fix of a file that could not be read at all (a pipe, a device, no permission): not its content's. */
    private static final String UNREADABLE_FIX =
            "Make it a readable regular file, or remove it: git commits no pipes or devices, and Django cannot import what cannot be read.";

    private static String fix(String rule) {
        return switch (rule) {
            case Diagnostic.SYNTAX_ERROR -> "Fix the syntax error; Django cannot load this migration either.";
            case Diagnostic.TOO_LARGE -> "Split the migration, or raise the size limit if the file is legitimate.";
            case Diagnostic.UNREADABLE -> "Fetch the missing objects (or clone without --filter), or commit the file itself "
                    + "instead of a link, and run migsafe again.";
            case Diagnostic.DYNAMIC -> "Write the list literally so that it can be reviewed, or review this migration by hand.";
            default -> "Move the helper out of migrations/, or start its name with `_` so that Django's loader skips it.";
        };
    }

    /** The parser (and its cache) the snapshot was read with: other modules of the project are read through it. */
    public ModuleParser parser() {
        return parser;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Which Django field class the project's own field classes stand for (read when first asked). */
    public FieldClasses fieldClasses() {
        if (fieldClasses == null) {
            fieldClasses = FieldClasses.of(snapshot.modules(), snapshot.migrations().keySet(), parser, fieldTypes);
        }
        return fieldClasses;
    }

    public List<MigrationGraph.LabeledFile> files() {
        return files;
    }

    public MigrationGraph graph() {
        if (graph == null) {
            graph = MigrationGraph.build(files, swappable);
        }
        return graph;
    }

    /** The findings of reading the files (P rules), without building the graph. */
    public List<Finding> readFindings() {
        return Collections.unmodifiableList(readFindings);
    }

    /** The findings of reading the files (P rules) and of the graph (G rules). */
    public List<Finding> findings() {
        if (findings == null) {
            List<Finding> all = new ArrayList<>(readFindings);
            all.addAll(graph().findings());
            findings = Collections.unmodifiableList(all);
        }
        return findings;
    }
}
