package dev.migsafe.python;

import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Pos;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * A text form of a syntax tree without positions and comments: two files have the same
 * fingerprint exactly when they differ only in formatting, comments, quoting or redundant
 * parentheses. G005 uses it to tell a cosmetic edit of a shipped migration from a real one.
 */
public final class SyntaxFingerprint {

    private SyntaxFingerprint() {}

    public static String of(Module module) {
        StringBuilder sb = new StringBuilder();
        append(module.body(), sb);
        return sb.toString();
    }

    private static void append(Object node, StringBuilder sb) {
        if (node == null) {
            sb.append('_');
        } else if (node instanceof List<?> list) {
            sb.append('[');
            for (Object item : list) {
                append(item, sb);
                sb.append(',');
            }
            sb.append(']');
        } else if (node instanceof Record record) {
            sb.append(record.getClass().getSimpleName()).append('(');
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (c.getType() == Pos.class) {
                    continue;
                }
                try {
                    append(c.getAccessor().invoke(record), sb);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                sb.append(';');
            }
            sb.append(')');
        } else if (node instanceof String s) {
            sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            sb.append(node);
        }
    }
}
