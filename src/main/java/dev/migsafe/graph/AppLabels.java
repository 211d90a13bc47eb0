package dev.migsafe.graph;

import dev.migsafe.git.MigrationPaths;
import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import java.util.HashMap;
import java.util.Map;

/**
 * App labels as Django derives them: the folder that holds {@code migrations/}, unless the app's
 * {@code apps.py} sets {@code label = "..."} on its AppConfig (read statically), unless the
 * settings' MIGRATION_MODULES name the folder as an app's, unless the configuration's
 * {@code app-labels} maps the app's folder to a label.
 */
public final class AppLabels {

    private final Map<String, String> fromAppsPy = new HashMap<>();
    private final Map<String, String> configured;
    private final MigrationPaths paths;

    /**
     * @param appConfigs apps.py files by path
     * @param configured app folder path (e.g. "shop/catalog") to label, from the configuration
     */
    public AppLabels(Map<String, SourceFile> appConfigs, Map<String, String> configured, ModuleParser parser) {
        this(appConfigs, configured, parser, MigrationPaths.DEFAULT);
    }

    /** @param paths the migration paths, whose MIGRATION_MODULES folders carry their app's label */
    public AppLabels(Map<String, SourceFile> appConfigs, Map<String, String> configured, ModuleParser parser,
                     MigrationPaths paths) {
        this.configured = Map.copyOf(configured);
        this.paths = paths;
        for (SourceFile f : appConfigs.values()) {
            String label = labelIn(f, parser);
            if (label != null) {
                fromAppsPy.put(folderOf(f.path()), label);
            }
        }
    }

    /** The app folder of a migration file: the parent of its (last) {@code migrations} folder. */
    public static String appFolder(String migrationPath) {
        int at = migrationPath.lastIndexOf("/migrations/");
        if (at < 0) {
            return migrationPath.startsWith("migrations/") ? "" : folderOf(migrationPath);
        }
        return migrationPath.substring(0, at);
    }

    public String labelFor(String migrationPath) {
        String folder = appFolder(migrationPath);
        String label = configured.get(folder);
        if (label == null) {
            label = paths.moduleLabel(migrationPath);
        }
        if (label == null) {
            label = fromAppsPy.get(folder);
        }
        if (label == null) {
            int slash = folder.lastIndexOf('/');
            label = folder.substring(slash + 1);
        }
        return label;
    }

    private static String folderOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** `label = "..."` in the body of an AppConfig subclass; null when there is none. */
    private static String labelIn(SourceFile f, ModuleParser parser) {
        ModuleParser.Parsed parsed = parser.parse(f.blobId(), f::bytes, f.path());
        if (!parsed.ok()) {
            return null;
        }
        for (Stmt s : parsed.module().body()) {
            if (s instanceof Stmt.ClassDef c && isAppConfig(c)) {
                for (Stmt inner : c.body()) {
                    if (inner instanceof Stmt.Assign a && a.targets().size() == 1
                            && a.targets().get(0) instanceof Expr.Name n && n.id().equals("label")
                            && a.value() instanceof Expr.Str str && !str.bytes()) {
                        return str.value();
                    }
                }
            }
        }
        return null;
    }

    private static boolean isAppConfig(Stmt.ClassDef c) {
        for (Expr base : c.bases()) {
            String last = base instanceof Expr.Name n ? n.id() : base instanceof Expr.Attribute a ? a.attr() : "";
            if (last.endsWith("AppConfig") || last.endsWith("Config")) {
                return true;
            }
        }
        return false;
    }
}
