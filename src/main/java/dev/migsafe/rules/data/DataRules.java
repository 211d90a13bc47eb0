package dev.migsafe.rules.data;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules of RULES.md's data migrations (D) family. */
public final class DataRules {

    private DataRules() {}

    public static List<Rule> all() {
        return List.of(new RunPythonModelImport(), new RunPythonSignature(), new RunPythonUnbatched(), new AccidentalRename());
    }
}
