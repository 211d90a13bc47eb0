package dev.migsafe.cli;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.eclipse.jgit.revwalk.RevCommit;

/** Reads the configuration from the analysed commit, or from the work tree for --staged/--worktree. */
final class ConfigSource {

    private ConfigSource() {}

    static Config fromCommit(GitRepository git, RevCommit commit) {
        try {
            return Config.parse(git.fileAt(commit, "pyproject.toml"), git.fileAt(commit, ".migsafe.toml"));
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
            return Config.parse(read(new File(root, "pyproject.toml")), read(new File(root, ".migsafe.toml")));
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
