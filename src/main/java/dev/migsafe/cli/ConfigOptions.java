package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.config.LockTimeout;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.MigrationPaths;
import dev.migsafe.git.SourceFile;
import dev.migsafe.graph.SettingsLockTimeout;
import dev.migsafe.graph.SettingsModules;
import dev.migsafe.python.ModuleParser;
import java.io.File;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine.Option;

/**
 * `--config FILE` for the commands that read the configuration. Loading it also points the
 * repository's reads at the migration files its include/exclude globs select, so that every
 * command that loads the configuration sees the same files, and remembers where the project's
 * settings modules are read from (the same commit or work tree), for what else they tell.
 */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read the configuration from FILE (its [tool.migsafe] table if it is a pyproject.toml, "
                    + "else its top level) instead of the repository's pyproject.toml or .migsafe.toml.")
    File file;

    /** Where the settings modules of the configuration last loaded are read from. */
    private SettingsSource settingsSource = List::of;
    /** Those modules, once read (null until then), and the parser that reads them. */
    private List<SourceFile> settingsFiles;
    private ModuleParser settingsParser;

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

    private interface SettingsSource {
        List<SourceFile> files() throws GitException;
    }

    /**
     * The lock_timeout the project's settings modules (of the commit or work tree the
     * configuration was last loaded from) put in effect for migrate, or null when they set none
     * that can be known statically.
     */
    LockTimeout settingsLockTimeout() {
        List<SourceFile> files = settingsFiles();
        return files.isEmpty() ? null : SettingsLockTimeout.read(files, parser());
    }

    /** The settings modules, read once per load; none when they cannot be read. */
    private List<SourceFile> settingsFiles() {
        if (settingsFiles == null) {
            try {
                settingsFiles = settingsSource.files();
            } catch (GitException e) {
                // Unreadable settings: the default discovery still finds every migrations/ folder,
                // and no lock_timeout is known.
                settingsFiles = List.of();
            }
        }
        return settingsFiles;
    }

    private ModuleParser parser() {
        if (settingsParser == null) {
            settingsParser = new ModuleParser();
        }
        return settingsParser;
    }

    /**
     * Points the repository's reads at the configured migration files, or, without include
     * globs, at the default ones plus the folders the settings' MIGRATION_MODULES name.
     */
    private Config applied(GitRepository git, Config config, SettingsSource settings) {
        settingsSource = settings;
        settingsFiles = null;
        MigrationPaths paths = config.migrationPaths();
        if (config.include().isEmpty()) {
            List<SourceFile> files = settingsFiles();
            if (!files.isEmpty()) {
                paths = paths.withModules(SettingsModules.read(files, parser()));
            }
        }
        git.useMigrationPaths(paths);
        return config;
    }
}
