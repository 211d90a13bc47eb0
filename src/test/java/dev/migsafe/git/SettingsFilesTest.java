package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings modules of a work tree that MIGRATION_MODULES and a lock_timeout are read from. */
class SettingsFilesTest {

    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void settingsModulesOutsidePrunedFoldersThatMentionMigrationModules() throws Exception {
        Git.init().setDirectory(dir.toFile()).call().close();
        String modules = "MIGRATION_MODULES = {\"dojo\": \"dojo.db_migrations\"}\n";
        write("dojo/settings/settings.dist.py", modules);
        write("proj/settings.py", "DEBUG = True\n");                       // does not mention it
        write("proj/settings_test.py", modules);                           // test settings disable migrations
        write("node_modules/pkg/settings.py", modules);                    // a pruned folder
        write(".venv/lib/site/settings/base.py", modules);
        write("a/b/c/d/e/settings.py", modules);                           // deeper than settings live
        List<String> found = GitRepository.open(dir.toFile()).settingsFilesInWorkTree().stream()
                .map(SourceFile::path).sorted().toList();
        assertEquals(List.of("dojo/settings/settings.dist.py"), found);
    }

    @Test
    void settingsModulesThatMayDecideALockTimeoutAreRead() throws Exception {
        Git.init().setDirectory(dir.toFile()).call().close();
        write("a/settings.py", "DATABASES = {\"default\": {\"OPTIONS\": {\"options\": \"-c lock_timeout=5s\"}}}\n");
        write("b/settings.py", "DATABASES = {\"default\": {\"OPTIONS\": {\"options\": \"--lock-timeout=5s\"}}}\n");
        write("c/settings.py", "DATABASES = {\"default\": {\"ENGINE\": \"django_zero_downtime_migrations.backends.postgres\"}}\n");
        write("d/settings/production.py", "ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT = \"2s\"\n");
        write("e/settings.py", "DATABASES = {\"default\": {\"OPTIONS\": {\"options\": \"-c statement_timeout=5s\"}}}\n");
        List<String> found = GitRepository.open(dir.toFile()).settingsFilesInWorkTree().stream()
                .map(SourceFile::path).sorted().toList();
        assertEquals(List.of("a/settings.py", "b/settings.py", "c/settings.py", "d/settings/production.py"), found);
    }
}
