package dev.migsafe.migration;

import dev.migsafe.python.ast.Module;
import dev.migsafe.python.eval.ModuleScope;
import java.util.List;
import java.util.function.Supplier;

/**
 * A file read from a migrations folder: its status, the diagnostics found while reading it, and
 * for a migration the model. The syntax tree and module scope are kept for rules that read
 * function bodies (data migrations); they are null when the file did not parse.
 *
 * A file read from the parse cache gets its model from the cache and its tree only when a rule
 * first asks for it: most files of a run are replayed, never looked into.
 */
public final class MigrationFile {

    public enum Status {
        OK("ok"), ERROR("error"), NOT_A_MIGRATION("not-a-migration");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String path;
    private final Status status;
    private final Diagnostic error;
    private final List<Diagnostic> diagnostics;
    private final Migration migration;
    private final boolean usedLlFallback;
    private final String packageName;
    private Supplier<Module> moduleSource;
    private Module module;
    private ModuleScope scope;

    public MigrationFile(String path, Status status, Diagnostic error, List<Diagnostic> diagnostics,
                         Migration migration, Module module, ModuleScope scope, boolean usedLlFallback) {
        this(path, status, error, diagnostics, migration, usedLlFallback, null, null);
        this.module = module;
        this.scope = scope;
    }

    private MigrationFile(String path, Status status, Diagnostic error, List<Diagnostic> diagnostics,
                          Migration migration, boolean usedLlFallback, String packageName, Supplier<Module> moduleSource) {
        this.path = path;
        this.status = status;
        this.error = error;
        this.diagnostics = diagnostics;
        this.migration = migration;
        this.usedLlFallback = usedLlFallback;
        this.packageName = packageName;
        this.moduleSource = moduleSource;
    }

    /**
     * A file whose tree is made when first asked for (a file that parsed: status OK or
     * NOT_A_MIGRATION); its scope is then built as the reader builds it.
     */
    static MigrationFile lazy(String path, Status status, List<Diagnostic> diagnostics, Migration migration,
                              boolean usedLlFallback, String packageName, Supplier<Module> module) {
        return new MigrationFile(path, status, null, diagnostics, migration, usedLlFallback, packageName, module);
    }

    public String path() {
        return path;
    }

    public Status status() {
        return status;
    }

    public Diagnostic error() {
        return error;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public Migration migration() {
        return migration;
    }

    public Module module() {
        if (moduleSource != null) {
            module = moduleSource.get();
            moduleSource = null;
        }
        return module;
    }

    public ModuleScope scope() {
        if (scope == null && packageName != null && module() != null) {
            scope = new ModuleScope(module, packageName);
        }
        return scope;
    }

    public boolean usedLlFallback() {
        return usedLlFallback;
    }

    @Override
    public String toString() {
        return "MigrationFile[" + path + ", " + status.label() + "]";
    }
}
