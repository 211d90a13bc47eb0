package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Reversibility;
import java.util.List;

/**
 * The verdict on one top-level operation: its class and reversibility (the worst its findings
 * give, compatible/yes without any), the locks it takes on the configured database, one line of
 * reason, and the findings behind them.
 */
public record OperationVerdict(int index, Operation op, String target, DeployClass deployClass,
                               Reversibility reversible, List<String> locks, String reason, List<Finding> findings) {}
