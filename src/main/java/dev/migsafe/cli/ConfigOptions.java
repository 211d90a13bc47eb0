package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.MigrationPaths;
import dev.migsafe.git.SourceFile;
import dev.migsafe.graph.SettingsModules;
import dev.migsafe.python.ModuleParser;
import java.io.File;
import java.util.List;
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

    /** --config, else the configuration of a commit; MIGRATION_MODULES from that commit's settings. */
    Config atCommit(GitRepository git, RevCommit commit) {
        Config config = file != null ? ConfigSource.fromFile(file) : ConfigSource.fromCommit(git, commit);
        return applied(git, config, () -> git.settingsFiles(commit));
    }

    /** --config, else the configuration in the work tree (for --staged and --worktree). */
    Config inWorkTree(GitRepository git) {
        Config config = file != null ? ConfigSource.fromFile(file) : ConfigSource.fromWorkTree(git);
        return applied(git, config, git::settingsFilesInWorkTree);
    }

    private interface Settings {
        List<SourceFile> files() throws GitException;
    }

    /**
     * Points the repository's reads at the configured migration files, or, without include
     * globs, at the default ones plus the folders the settings' MIGRATION_MODULES name.
     */
    private static Config applied(GitRepository git, Config config, Settings settings) {
        MigrationPaths paths = config.migrationPaths();
        if (config.include().isEmpty()) {
            try {
                List<SourceFile> files = settings.files();
                if (!files.isEmpty()) {
                    paths = paths.withModules(SettingsModules.read(files, new ModuleParser()));
                }
            } catch (GitException e) {
                // Unreadable settings: the default discovery still finds every migrations/ folder.
            }
        }
        git.useMigrationPaths(paths);
        return config;
    }
}
