package dev.migsafe.migration;

import dev.migsafe.python.ast.Module;
import dev.migsafe.python.eval.ModuleScope;
import java.util.List;

/**
 * A file read from a migrations folder: its status, the diagnostics found while reading it, and
 * for a migration the model. The syntax tree and module scope are kept for rules that read
 * function bodies (data migrations); they are null when the file did not parse.
 */
public record MigrationFile(String path, Status status, Diagnostic error, List<Diagnostic> diagnostics,
                            Migration migration, Module module, ModuleScope scope, boolean usedLlFallback) {

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
}
