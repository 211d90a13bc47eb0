package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitRepository;
import java.io.File;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Option;

/**
 * `--config FILE` for the commands that read the configuration. Loading it also points the
 * repository's reads at the migration files its include/exclude globs select, so that every
 * command that loads the configuration sees the same files.
 */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read the configuration from FILE (its [tool.migsafe] table if it is a pyproject.toml, "
                    + "else its top level) instead of the repository's pyproject.toml or .migsafe.toml.")
    File file;

    /** --config, else the configuration of a commit. */
    Config atCommit(GitRepository git, RevCommit commit) {
        return applied(git, file != null ? ConfigSource.fromFile(file) : ConfigSource.fromCommit(git, commit));
    }

    /** --config, else the configuration in the work tree (for --staged and --worktree). */
    Config inWorkTree(GitRepository git) {
        return applied(git, file != null ? ConfigSource.fromFile(file) : ConfigSource.fromWorkTree(git));
    }

    private static Config applied(GitRepository git, Config config) {
        git.useMigrationPaths(config.migrationPaths());
        return config;
    }
}
