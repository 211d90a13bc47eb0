package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs are taken from absolute folders of PATH only, and never from inside the repository. */
class ProgramSearchTest {

    @TempDir
    Path dir;

    private final SystemReader original = SystemReader.getInstance();

    @AfterEach
    void restore() {
        SystemReader.setInstance(original);
    }

    private Path program(String path) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void relativeAndEmptyEntriesAreSkipped() throws IOException {
        Path trusted = program("usr/bin/git");
        Path here = Path.of("").toAbsolutePath();
        String relative = here.relativize(program("repo/bin/git").getParent()).toString();
        String path = String.join(File.pathSeparator, relative, "", ".", trusted.getParent().toString());
        assertEquals(trusted, ProgramSearch.find(path, File.pathSeparator, List.of("git"), List.of()));
        assertNull(ProgramSearch.find(relative, File.pathSeparator, List.of("git"), List.of()));
        assertNull(ProgramSearch.find(null, File.pathSeparator, List.of("git"), List.of()));
        // Not executable, or a folder: not a program.
        Path plain = dir.resolve("plain/git");
        Files.createDirectories(plain.getParent());
        Files.writeString(plain, "");
        Files.createDirectories(dir.resolve("folder/git"));
        assertNull(ProgramSearch.find(plain.getParent() + File.pathSeparator + dir.resolve("folder"), File.pathSeparator,
                List.of("git"), List.of()));
    }

    @Test
    void programsInsideTheRepositoryAreSkippedEvenThroughAnAbsoluteEntryOrALink() throws IOException {
        Path repo = dir.resolve("repo");
        Path planted = program("repo/.venv/bin/git");
        Path trusted = program("usr/bin/git");
        Files.createDirectories(dir.resolve("links"));
        Files.createSymbolicLink(dir.resolve("links/git"), planted);
        String path = String.join(File.pathSeparator, planted.getParent().toString(), dir.resolve("links").toString(),
                trusted.getParent().toString());
        assertEquals(trusted, ProgramSearch.find(path, File.pathSeparator, List.of("git"), List.of(repo)));
        assertEquals(planted, ProgramSearch.find(path, File.pathSeparator, List.of("git"), List.of()));
    }

    /** The git `analyze --staged` runs comes from the run's PATH (a resident process's request's), as JGit sees it. */
    @Test
    void theGitForTheIndexIsFoundOnTheRunsPath() throws IOException {
        Path repo = dir.resolve("repo");
        Path planted = program("repo/git");
        Path trusted = program("usr/bin/git");
        Map<String, String> env = Map.of("PATH", String.join(File.pathSeparator, ".", planted.getParent().toString(),
                trusted.getParent().toString()));
        SystemReader.setInstance(new SystemReader.Delegate(original) {
            @Override
            public String getenv(String name) {
                return env.get(name);
            }
        });
        assertEquals(trusted.toString(), GitDiffIndex.program(java.util.Arrays.asList(repo.toFile(), null,
                repo.resolve(".git").toFile())));
        assertNull(GitDiffIndex.program(List.of(dir.toFile())));
    }
}
