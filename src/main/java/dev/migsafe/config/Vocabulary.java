package dev.migsafe.config;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The names that layers above the configuration own, so that it can check them when it is read
 * (and name the closest valid one) without depending on those layers.
 *
 * @param ruleIds every rule id (asked for only when a file names rules: the catalogue is big)
 * @param databases the databases' names, for messages and suggestions
 * @param isDatabase whether a name is a database (aliases such as "postgres" included)
 * @param isDjangoVersion whether a text is a Django version
 */
public record Vocabulary(Supplier<Set<String>> ruleIds, List<String> databases, Predicate<String> isDatabase,
                         Predicate<String> isDjangoVersion) {}
