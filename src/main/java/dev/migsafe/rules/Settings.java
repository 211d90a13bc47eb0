package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.state.Database;
import java.util.Map;

/**
 * What the rules need to know about the project: its database, its Django version (null when
 * not given: fixes then mention the version a feature needs), and how custom operations are
 * classified (qualified name -> class).
 */
public record Settings(Database database, DjangoVersion django, Map<String, DeployClass> customOperations) {

    public static final Settings DEFAULT = new Settings(Database.POSTGRESQL, null, Map.of());

    /** Whether the project's Django has a feature of this version; null when the version is unknown. */
    public Boolean djangoAtLeast(int major, int minor) {
        return django == null ? null : django.atLeast(major, minor);
    }
}
