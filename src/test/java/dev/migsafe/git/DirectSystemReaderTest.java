package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.GitScenario;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git's system config found from the environment and git's place on PATH, without running git. */
class DirectSystemReaderTest {

    @TempDir
    Path dir;

    private final SystemReader original = SystemReader.getInstance();

    @AfterEach
    void restore() {
        SystemReader.setInstance(original);
    }

    private Path fakeGit(String folder) throws IOException {
        Path git = dir.resolve(folder).resolve("git");
        Files.createDirectories(git.getParent());
        Files.writeString(git, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        return git;
    }

    private static DirectSystemReader.Location locate(Map<String, String> env) {
        return DirectSystemReader.systemConfig(env::get);
    }

    @Test
    void theEnvironmentDecidesFirst() {
        assertNull(locate(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_SYSTEM", "/x/gitconfig")).file());
        assertEquals(new File("/x/gitconfig"), locate(Map.of("GIT_CONFIG_SYSTEM", "/x/gitconfig", "PATH", "/usr/bin")).file());
        assertEquals(new File("/x/gitconfig"), locate(Map.of("GIT_CONFIG_NOSYSTEM", "", "GIT_CONFIG_SYSTEM", "/x/gitconfig")).file());
    }

    @Test
    void gitsPrefixOnPathGivesTheFile() throws IOException {
        fakeGit("local/bin");
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        String path = empty + File.pathSeparator + dir.resolve("local/bin");
        assertEquals(dir.resolve("local/etc/gitconfig").toFile(), locate(Map.of("PATH", path)).file());
        // No git on PATH: no system config (JGit decides the same).
        assertNull(locate(Map.of("PATH", empty.toString())).file());
        // Not in a bin folder: an unusual layout, where distributions keep the file (git is not asked).
        fakeGit("libexec/git-core");
        assertEquals(new File("/etc/gitconfig"), locate(Map.of("PATH", dir.resolve("libexec/git-core").toString())).file());
    }

    /** A relative folder of PATH is the run's working directory's: a repository's `git` is not taken for git's. */
    @Test
    void relativeFoldersOfPathAreNeverSearched() throws IOException {
        fakeGit("repo/bin");
        fakeGit("local/bin");
        String absolute = dir.resolve("local/bin").toString();
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("repo/bin"));
        for (String entry : new String[] {relative.toString(), "", "."}) {
            String path = entry + File.pathSeparator + absolute;
            assertEquals(dir.resolve("local/etc/gitconfig").toFile(), locate(Map.of("PATH", path)).file(), path);
        }
        assertNull(locate(Map.of("PATH", relative.toString())).file());
    }

    @Test
    void macosAppleGitReadsTheDeveloperToolsFile() throws IOException {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "DEVELOPER_DIR", "/Applications/Xcode.app/Contents/Developer");
        // (Only where /usr/bin/git exists, as on this kind of machine.)
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/git"))) {
            assertEquals(new File("/Applications/Xcode.app/Contents/Developer/usr/share/git-core/gitconfig"),
                    DirectSystemReader.systemConfig(env::get, DirectSystemReader.Platform.MACOS).file());
        }
        fakeGit("homebrew/bin");
        assertEquals(dir.resolve("homebrew/etc/gitconfig").toFile(), DirectSystemReader.systemConfig(
                Map.of("PATH", dir.resolve("homebrew/bin").toString())::get, DirectSystemReader.Platform.MACOS).file());
    }

    @Test
    void gitForWindowsKeepsItInItsEtcFolder() throws IOException {
        for (String folder : new String[] {"Git/cmd", "Git/bin", "Git/mingw64/bin"}) {
            Path exe = dir.resolve(folder).resolve("git.exe");
            java.nio.file.Files.createDirectories(exe.getParent());
            java.nio.file.Files.writeString(exe, "");
            java.nio.file.Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            String path = "relative;" + exe.getParent();
            assertEquals(dir.resolve("Git/etc/gitconfig").toFile(), DirectSystemReader.systemConfig(
                    Map.of("PATH", path)::get, DirectSystemReader.Platform.WINDOWS).file(), folder);
        }
    }

    @Test
    void aRepositorySeesTheSystemConfigThroughAReaderInstalledOverIt() throws Exception {
        GitScenario.create(dir.resolve("repo")).copy("shop", "shop").commit("shop project").close();
        Path systemConfig = dir.resolve("system-gitconfig");
        Files.writeString(systemConfig, "[core]\n\thooksPath = /srv/shared-hooks\n");
        DirectSystemReader.install();
        Map<String, String> env = new HashMap<>();
        env.put("GIT_CONFIG_SYSTEM", systemConfig.toString());
        env.put("HOME", dir.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public String getenv(String name) {
                return env.get(name);
            }
        });
        try (GitRepository git = GitRepository.open(dir.resolve("repo").toFile())) {
            GitRepository.HooksDir hooks = git.hooksDir();
            assertEquals(Path.of("/srv/shared-hooks"), hooks.path());
            assertTrue(hooks.shared());
        }
    }
}
