package dev.migsafe.rules.locks;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules of RULES.md's locks and rewrites (L) family. */
public final class LockRules {

    private LockRules() {}

    public static List<Rule> all() {
        return List.of(new IndexNotConcurrent(), new DropIndexNotConcurrent(), new ConcurrentInAtomic(),
                new ForeignKeyValidation(), new CheckConstraintValidation(), new TableRewrite(), new SetNotNullScan(),
                new UniqueIndexLock(), new SchemaAndData(), new ValidateInSameMigration(), new NonAtomicMigration());
    }
}
