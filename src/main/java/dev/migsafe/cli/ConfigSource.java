package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.config.ConfigReader;
import dev.migsafe.config.Vocabulary;
import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.rules.DjangoVersion;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import dev.migsafe.state.Database;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
            return READER.fromRepository(inWorkTree(root.toPath(), ConfigReader.PYPROJECT),
                    inWorkTree(root.toPath(), ConfigReader.MIGSAFE_TOML));
        } catch (Config.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * --config FILE: it must exist and be a file (a symlink to one is followed: the user named
     * it), and is read as it is.
     */
    static Config fromFile(File file) {
        Path resolved = RunContext.current().resolve(file).toPath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(resolved, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UserError("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + IoErrors.reason(e));
        }
        if (attributes.isDirectory()) {
            throw new UserError("--config " + file + " is a folder, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new UserError("--config " + file + " is " + ReplaceFile.kind(real(resolved)) + ", not a file");
        }
        try {
            return READER.fromFile(file.getPath(), read(resolved, attributes.size(), file.getPath()));
        } catch (Config.Invalid e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * A configuration file of the work tree, or null when there is none. It may come from the
     * pull request: it is read only if it is a regular file, or a symlink to one inside the
     * repository (git stores a link as its target's name: a link out of the clone is not the
     * project's configuration); a FIFO, a device or a folder of that name is an error.
     */
    private static byte[] inWorkTree(Path root, String name) {
        Path file = root.resolve(name);
        String kind = ReplaceFile.kind(file);
        if (kind == null) {
            return null;
        }
        Path target = file;
        if (ReplaceFile.SYMLINK.equals(kind)) {
            if (!InsideRepository.contains(root, file)) {
                throw new UserError(name + " is a symbolic link out of the repository (or to nothing):"
                        + " migsafe reads the configuration only from inside it");
            }
            target = real(file);
            kind = ReplaceFile.kind(target);
        }
        if (!ReplaceFile.REGULAR.equals(kind)) {
            throw new UserError(name + " is " + kind + ", not a file");
        }
        try {
            return read(target, Files.size(target), name);
        } catch (IOException e) {
            throw new UserError("cannot read " + name + ": " + IoErrors.reason(e));
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** A configuration file's bytes: at most the 16 MB a migration may have, which no configuration needs. */
    private static byte[] read(Path file, long size, String name) {
        if (size > ModuleParser.DEFAULT_MAX_BYTES) {
            throw new UserError(name + " is larger than " + (ModuleParser.DEFAULT_MAX_BYTES >> 20)
                    + " MB, which no configuration file is");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + name + ": " + IoErrors.reason(e));
        }
    }
}
