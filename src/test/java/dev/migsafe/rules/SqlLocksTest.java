package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The locks stated for SQL statements, where fixtures (which check findings) cannot see them. */
class SqlLocksTest {

    private static List<String> locks(String migration) {
        Analysis a = RuleFixtures.load(Path.of("fixtures/rules/regression_sql_patterns")).analysis();
        return a.migrations().stream().filter(m -> m.key().name().equals(migration)).findFirst().orElseThrow()
                .operations().get(0).locks();
    }

    @Test
    void anIndexNamedTableFirstLocksThatTableAndTheLockIsHeldThroughTheBuild() {
        List<String> locks = locks("0005_rebuild_index");
        assertEquals(2, locks.size(), locks.toString());
        assertTrue(locks.get(0).startsWith("ACCESS EXCLUSIVE on shop_product"), locks.toString());
        assertTrue(locks.get(1).startsWith("SHARE on shop_product") && locks.get(1).contains("stays held through it"),
                locks.toString());
    }
}
