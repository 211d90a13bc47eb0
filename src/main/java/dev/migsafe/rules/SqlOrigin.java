package dev.migsafe.rules;

import java.util.Map;
import java.util.Set;

/**
 * Where an operation the analyzer judges came from when a SQL statement stands behind it: the
 * Django operation that does the same thing ({@code equivalent}), built from the statement and
 * the replayed state so that the rules judge the SQL exactly as they judge that operation. Its
 * findings name the statement and give SQL fixes where the rule's fix is written for Django.
 *
 * @param app        the app of the model whose table the statement changes
 * @param where      "RunSQL", "reverse_sql", "RunPython (schema_editor.execute in forwards, line 12)"
 * @param statement  the statement, on one line and shortened
 * @param equivalent the Django operation it is judged as ("RemoveField")
 * @param fixes      rule id -> the fix in SQL terms
 * @param skipped    rule ids that do not apply to the statement (its locks differ from the operation's)
 */
public record SqlOrigin(String app, String where, String statement, String equivalent, Map<String, String> fixes,
                        Set<String> skipped) {

    String message(String message) {
        return where + " `" + statement + "` (judged as " + equivalent + "): " + message;
    }

    String fix(String rule, String fix) {
        return fixes.getOrDefault(rule, fix);
    }
}
