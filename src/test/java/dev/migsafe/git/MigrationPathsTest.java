package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationPathsTest {

    @Test
    void globsMatchWholePathsStarsStayInOneFolder() {
        Glob g = Glob.of("shop/*/migrations/*.py");
        assertTrue(g.matches("shop/orders/migrations/0001_initial.py"));
        assertFalse(g.matches("shop/a/b/migrations/0001_initial.py"));
        assertFalse(g.matches("x/shop/orders/migrations/0001_initial.py"), "anchored at the root");
        assertFalse(g.matches("shop/orders/migrations/sub/0001.py"));
    }

    @Test
    void doubleStarSpansAnyNumberOfFoldersIncludingNone() {
        Glob g = Glob.of("**/migrations/**/*.py");
        assertTrue(g.matches("migrations/0001.py"));
        assertTrue(g.matches("a/b/migrations/0001.py"));
        assertTrue(g.matches("a/migrations/nested/deeper/0001.py"));
        assertFalse(g.matches("a/db_migrations/0001.py"));
        assertTrue(Glob.of("legacy/**").matches("legacy/app/migrations/0001.py"));
        assertFalse(Glob.of("legacy/**").matches("legacyx/app/migrations/0001.py"));
    }

    @Test
    void trailingSlashMeansEverythingBelowAndClassesAndEscapesWork() {
        assertTrue(Glob.of("legacy/").matches("legacy/app/migrations/0001.py"));
        assertTrue(Glob.of("./legacy/**").matches("legacy/a.py"));
        assertTrue(Glob.of("a/000[1-3]_*.py").matches("a/0002_x.py"));
        assertFalse(Glob.of("a/000[1-3]_*.py").matches("a/0004_x.py"));
        assertTrue(Glob.of("a/000[!1]_*.py").matches("a/0004_x.py"));
        assertFalse(Glob.of("a/000[!1]_*.py").matches("a/0001_x.py"));
        assertTrue(Glob.of("a/\\*.py").matches("a/*.py"));
        assertFalse(Glob.of("a/\\*.py").matches("a/b.py"));
        assertTrue(Glob.of("a/?.py").matches("a/b.py"));
        assertFalse(Glob.of("a/?.py").matches("a/bc.py"));
        assertTrue(Glob.of("a.b/c+d.py").matches("a.b/c+d.py"), "regex characters are literal");
        assertFalse(Glob.of("a.b/c+d.py").matches("axb/cd.py"));
    }

    @Test
    void invalidGlobsSayWhy() {
        assertEquals("'[' at position 3 is never closed",
                assertThrows(IllegalArgumentException.class, () -> Glob.of("ab[c")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Glob.of(""));
        assertThrows(IllegalArgumentException.class, () -> Glob.of("a\\"));
    }

    @Test
    void defaultDiscoveryIsBelowAMigrationsFolder() {
        MigrationPaths d = MigrationPaths.DEFAULT;
        assertTrue(d.matches("shop/orders/migrations/0001_initial.py"));
        assertTrue(d.matches("shop/orders/migrations/nested/0001_initial.py"));
        assertFalse(d.matches("shop/orders/migrations/__init__.py"));
        assertFalse(d.matches("shop/orders/migrations/_helper.py"));
        assertFalse(d.matches("shop/orders/models.py"));
        assertFalse(d.matches(".venv/lib/site-packages/x/migrations/0001_initial.py"));
    }

    @Test
    void aMigrationsFolderWithoutAnAppIsNoApp() {
        assertFalse(MigrationPaths.DEFAULT.matches("migrations/0001_squashed_0040.py"), "at the repository root");
        assertTrue(MigrationPaths.of(List.of("migrations/*.py"), List.of()).matches("migrations/0001_initial.py"),
                "unless the configuration includes it");

        java.util.Map<String, String> found = new java.util.TreeMap<>();
        found.put("shop/migrations/0001_initial.py", "");
        found.put("docs/example/migrations/0001_initial.py", "");
        found.put("blog/migrations/0001_initial.py", "");
        java.util.Set<String> packages = new java.util.HashSet<>();
        MigrationPaths.addPackageFolders("shop/models.py", packages);
        MigrationPaths.addPackageFolders("blog/migrations/__init__.py", packages);
        MigrationPaths.DEFAULT.keepPackages(found, packages);
        assertEquals(java.util.Set.of("shop/migrations/0001_initial.py", "blog/migrations/0001_initial.py"), found.keySet());

        java.util.Map<String, String> sketch = new java.util.TreeMap<>(java.util.Map.of("a/migrations/0001.py", ""));
        MigrationPaths.DEFAULT.keepPackages(sketch, java.util.Set.of());
        assertEquals(1, sketch.size(), "a project that marks no package keeps its folders");
    }

    @Test
    void migrationModulesAddTheirFoldersUnlessIncludeIsConfigured() {
        java.util.Map<String, String> modules = new java.util.HashMap<>();
        modules.put("dojo", "dojo.db_migrations");
        modules.put("legacy", null);
        MigrationPaths p = MigrationPaths.DEFAULT.withModules(modules);
        assertTrue(p.matches("dojo/db_migrations/0001_initial.py"));
        assertTrue(p.matches("src/dojo/db_migrations/0002_more.py"), "wherever the package root is");
        assertEquals("dojo", p.moduleLabel("dojo/db_migrations/0001_initial.py"));
        assertTrue(p.isShadowed("dojo/migrations/0001_initial.py", "dojo"), "the default folder is not loaded");
        assertFalse(p.isShadowed("dojo/db_migrations/0001_initial.py", "dojo"));
        assertTrue(p.isShadowed("legacy/migrations/0001_initial.py", "legacy"), "None disables the app");
        MigrationPaths configured = MigrationPaths.of(List.of("**/migrations/*.py"), List.of()).withModules(modules);
        assertFalse(configured.matches("dojo/db_migrations/0001_initial.py"), "include wins");
    }

    @Test
    void includeReplacesTheDefaultExcludeRemoves() {
        MigrationPaths p = MigrationPaths.of(List.of("**/migrations/*.py", "**/db_migrations/*.py"), List.of("legacy/**"));
        assertTrue(p.matches("shop/orders/db_migrations/0001_initial.py"));
        assertTrue(p.matches("shop/orders/migrations/0001_initial.py"));
        assertFalse(p.matches("legacy/orders/migrations/0001_initial.py"));
        assertFalse(p.matches("shop/orders/migrations/nested/0001_initial.py"), "not in the include globs");
        assertFalse(p.matches("shop/orders/db_migrations/__init__.py"), "Django's loader skips it whatever the globs");
        assertFalse(p.matches("node_modules/x/migrations/0001_initial.py"), "never searched");

        MigrationPaths onlyExclude = MigrationPaths.of(List.of(), List.of("**/migrations/0001_*.py"));
        assertFalse(onlyExclude.matches("shop/migrations/0001_initial.py"));
        assertTrue(onlyExclude.matches("shop/migrations/0002_more.py"));
    }
}
