package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.config.ConfigReader;
import dev.migsafe.config.Vocabulary;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.rules.DjangoVersion;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import dev.migsafe.state.Database;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.stream.Collectors;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Reads the configuration: from the analysed commit, from the work tree for --staged/--worktree,
 * or from a file given with --config. Every problem is a {@link UserError} (exit 2).
 */
final class ConfigSource {

    /** What the configuration is checked against: the rule catalogue, the databases, Django versions. */
    static final Vocabulary VOCABULARY = new Vocabulary(
            () -> RuleCatalog.all().stream().map(Rule::id).collect(Collectors.toCollection(LinkedHashSet::new)),
            Arrays.stream(Database.values()).map(Database::label).toList(),
            name -> Database.of(name) != null,
            text -> DjangoVersion.parse(text) != null,
            dev.migsafe.state.FieldTypes::djangoClass,
            dev.migsafe.state.FieldTypes::djangoClasses);

    private static final ConfigReader READER = new ConfigReader(VOCABULARY);

    private ConfigSource() {}

    static Config fromCommit(GitRepository git, RevCommit commit) {
        try {
            return READER.fromRepository(git.fileAt(commit, ConfigReader.PYPROJECT),
                    git.fileAt(commit, ConfigReader.MIGSAFE_TOML));
        } catch (GitException | Config.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }

    static Config fromWorkTree(GitRepository git) {
        File root = git.workTree();
        if (root == null) {
            return Config.EMPTY;
        }
        try {
            return READER.fromRepository(read(new File(root, ConfigReader.PYPROJECT)),
                    read(new File(root, ConfigReader.MIGSAFE_TOML)));
        } catch (Config.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }

    /** --config FILE: it must exist. */
    static Config fromFile(File file) {
        File resolved = RunContext.current().resolve(file);
        if (!resolved.isFile()) {
            throw new UserError("--config " + file + ": no such file");
        }
        try {
            return READER.fromFile(file.getPath(), read(resolved));
        } catch (Config.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }

    private static byte[] read(File f) {
        try {
            return f.isFile() ? Files.readAllBytes(f.toPath()) : null;
        } catch (IOException e) {
            throw new UserError("cannot read " + f + ": " + e.getMessage());
        }
    }
}
