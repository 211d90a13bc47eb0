package dev.migsafe.report;

import dev.migsafe.migration.Dependency;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import java.util.stream.Collectors;

/** One human-readable summary line per file, for `migsafe parse --format text`. */
public final class ParseText {

    private ParseText() {}

    public static String summary(MigrationFile file) {
        StringBuilder sb = new StringBuilder(file.path()).append(": ");
        if (file.error() != null) {
            Diagnostic e = file.error();
            return sb.append(e.rule()).append(" at ").append(e.line()).append(':').append(e.column())
                    .append(": ").append(e.message()).toString();
        }
        Migration m = file.migration();
        if (m == null) {
            return sb.append("not a migration (no `class Migration`)").toString();
        }
        sb.append("depends on ").append(m.dependencies().isEmpty() ? "nothing"
                : m.dependencies().stream().map(ParseText::dependency).collect(Collectors.joining(", ")));
        if (!m.replaces().isEmpty()) {
            sb.append("; replaces ").append(m.replaces().size());
        }
        sb.append("; ").append(m.operations().size()).append(m.operations().size() == 1 ? " operation" : " operations");
        if (!m.operations().isEmpty()) {
            sb.append(": ").append(m.operations().stream().map(ParseText::operation).collect(Collectors.joining(", ")));
        }
        for (Diagnostic d : file.diagnostics()) {
            sb.append("\n    ").append(d.rule()).append(" at ").append(d.line()).append(':').append(d.column())
                    .append(": ").append(d.message());
        }
        return sb.toString();
    }

    private static String dependency(Dependency d) {
        return switch (d.kind()) {
            case SWAPPABLE -> "swappable " + d.setting();
            case UNRESOLVED -> "? " + d.source();
            default -> d.app() + "." + d.name();
        };
    }

    private static String operation(Operation op) {
        return (op.type() == null ? "?" : op.type()) + "@" + op.line();
    }
}
