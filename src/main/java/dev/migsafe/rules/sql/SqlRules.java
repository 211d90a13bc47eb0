package dev.migsafe.rules.sql;

import dev.migsafe.rules.Rule;
import java.util.List;

/** The rules for hazards only SQL brings (triggers, TRUNCATE, transaction control, long locks, lock_timeout). */
public final class SqlRules {

    private SqlRules() {}

    public static List<Rule> all() {
        return List.of(new TriggerOnExistingTable(), new DeleteAllRows(), new EnumValueInTransaction(),
                new TransactionControl(), new LongExclusiveLock(), new UpdateUnderDdlLock(), new LockTimeout());
    }
}
