package dev.migsafe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Builds real git repositories in temp dirs with JGit, from files under fixtures/. */
public final class GitScenario implements AutoCloseable {

    private final Path dir;
    private final Git git;

    private GitScenario(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static GitScenario create(Path tempDir) {
        try {
            return new GitScenario(tempDir, Git.init().setDirectory(tempDir.toFile()).setInitialBranch("main").call());
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Copies a fixture folder (or file) to a path inside the work tree. */
    public GitScenario copy(String fixture, String target) {
        Path from = Fixtures.ROOT.resolve(fixture);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(target).resolve(from.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public GitScenario write(String path, String content) {
        try {
            Path to = dir.resolve(path);
            Files.createDirectories(to.getParent());
            Files.writeString(to, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public GitScenario commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Test", "test@example.com");
            git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Creates BRANCH at the current commit and switches to it. */
    public GitScenario branch(String name) {
        try {
            git.checkout().setCreateBranch(true).setName(name).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    @Override
    public void close() {
        git.close();
    }
}
