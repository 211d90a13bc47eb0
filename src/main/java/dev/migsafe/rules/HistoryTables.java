package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;

/**
 * django-simple-history's mirror models: for a tracked model Foo it generates HistoricalFoo
 * (bases HistoricalChanges, fields history_id, history_date, history_type) and writes a row there
 * only from Foo's save and delete signals. Whatever a migration does to the same field of both
 * tables therefore fails on Foo's table first, and a second finding on the mirror adds nothing.
 */
public final class HistoryTables {

    private static final String PREFIX = "Historical";

    private HistoryTables() {}

    /** The tracked model of a simple-history mirror model (its state key), or null when {@code m} is not one. */
    public static String trackedModel(ModelState m, ProjectState state) {
        if (m == null || m.name().length() <= PREFIX.length() || !m.name().startsWith(PREFIX)
                || m.field("history_id") == null || m.field("history_date") == null || m.field("history_type") == null
                || m.bases().stream().noneMatch(HistoryTables::isHistoricalChanges)) {
            return null;
        }
        ModelState tracked = state.model(m.app(), m.name().substring(PREFIX.length()));
        return tracked == null ? null : tracked.key();
    }

    private static boolean isHistoricalChanges(Value base) {
        String source = Py.source(base);
        return source.equals("HistoricalChanges") || source.endsWith(".HistoricalChanges");
    }
}
