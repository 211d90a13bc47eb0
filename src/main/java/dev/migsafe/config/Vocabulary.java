package dev.migsafe.config;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
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
 * @param djangoFieldClass a Django field class as a user writes it (CharField, models.CharField,
 *                         django.db.models.CharField) -> its canonical name, or null when it is
 *                         not a field class migsafe knows the column of
 * @param djangoFieldClasses the simple names of those classes, for suggestions
 */
public record Vocabulary(Supplier<Set<String>> ruleIds, List<String> databases, Predicate<String> isDatabase,
                         Predicate<String> isDjangoVersion, Function<String, String> djangoFieldClass,
                         Supplier<Set<String>> djangoFieldClasses) {

    /** A vocabulary that knows no field classes (for callers that read no field-types). */
    public Vocabulary(Supplier<Set<String>> ruleIds, List<String> databases, Predicate<String> isDatabase,
                      Predicate<String> isDjangoVersion) {
        this(ruleIds, databases, isDatabase, isDjangoVersion, name -> null, Set::of);
    }
}
