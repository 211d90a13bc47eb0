package dev.migsafe.rules;

import java.util.List;

/**
 * The locks an operation takes on the configured database, in words a DBA would use
 * ("ACCESS EXCLUSIVE on shop_order: brief, catalog only").
 */
final class Locks {

    private Locks() {}

    static List<String> of(OperationContext ctx) {
        return List.of();
    }
}
