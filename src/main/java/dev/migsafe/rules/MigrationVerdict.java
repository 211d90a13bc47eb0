package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Stage;
import java.util.List;

/**
 * The verdict on one analysed migration: the worst class and reversibility of its operations,
 * its stage, the operations' verdicts, and every finding the rules made about it (operation and
 * migration level). {@code note} explains a migration that was not judged operation by operation
 * (a squash, which deployed databases never run), or is null.
 */
public record MigrationVerdict(MigrationKey key, String path, Stage stage, DeployClass deployClass,
                               Reversibility reversible, List<OperationVerdict> operations, List<Finding> findings,
                               String note) {}
