package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;
import java.util.List;
import java.util.Map;

/**
 * The {@code Migration} class of a migration file. {@code initial} and {@code atomic} are null
 * when the class does not set them (Django's defaults: not initial, atomic). {@code attributes}
 * holds every class attribute, including markers other tools define (stage, safe,
 * is_post_deployment). The *Resolved flags are false when some part could not be read
 * statically (see the file's P003 diagnostics); what could be read is still listed.
 */
public record Migration(int line, int column, List<String> bases, List<Dependency> dependencies,
                        boolean dependenciesResolved, List<MigrationKey> replaces, List<MigrationKey> runBefore,
                        Boolean initial, Boolean atomic, List<Operation> operations, boolean operationsResolved,
                        Map<String, Value> attributes) {}
