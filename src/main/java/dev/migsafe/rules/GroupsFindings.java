package dev.migsafe.rules;

import java.util.List;

/**
 * A rule whose findings of one kind, on several operations of one migration, state the same fact
 * column by column (R303: forty widened varchars, one warning each). Such findings are reported
 * through {@link OperationContext#reportGrouped} and merged into one finding per migration and
 * kind that names every column (see {@link Grouping}).
 */
public interface GroupsFindings {

    /** The message of the merged finding: {@code items} are the members' items, in operation order. */
    String groupMessage(String kind, List<String> items);

    /** The fix of the merged finding: {@code repairs} are the members' repairs, in operation order. */
    String groupFix(String kind, String app, List<String> repairs);
}
