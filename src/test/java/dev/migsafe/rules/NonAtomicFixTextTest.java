package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.migration.Finding;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * L211's fix must be true of the migration: `atomic = False` between a data change and DDL on
 * the same table is a known remedy for PostgreSQL's pending trigger events, so the fix cannot
 * say that nothing needs it (the fixture's `# expect:` comments check only that L211 is there).
 */
class NonAtomicFixTextTest {

    @Test
    void dataChangeBeforeDdlOnTheSameTableNamesThePendingTriggerEvents() {
        Map<String, Finding> l211 = new TreeMap<>();
        for (Finding f : RuleFixtures.load(RuleFixtures.ROOT.resolve("regression_non_atomic_data_then_ddl")).run().findings()) {
            if (f.rule().equals("L211")) {
                l211.put(f.path().replaceAll(".*/", ""), f);
            }
        }
        assertEquals(3, l211.size(), l211.keySet().toString());

        Finding sql = l211.get("0002_order_project.py");
        assertTrue(sql.fix().contains("pending trigger events"), sql.fix());
        assertTrue(sql.fix().contains("RunSQL `UPDATE shop_order"), sql.fix());
        assertTrue(sql.fix().contains("AlterField shop.order.project"), sql.fix());
        assertFalse(sql.fix().contains("nothing in"), sql.fix());

        Finding python = l211.get("0003_invoice_total.py");
        assertTrue(python.fix().contains("pending trigger events"), python.fix());
        assertTrue(python.fix().contains("RunPython fill_totals"), python.fix());

        // The UPDATE of shop_order leaves nothing pending on shop_invoice: atomic = False is not
        // needed for that, though a batched data change could want it.
        Finding other = l211.get("0004_order_flags.py");
        assertFalse(other.fix().contains("pending trigger events"), other.fix());
        assertTrue(other.fix().contains("RunSQL `UPDATE shop_order SET paid = false`"), other.fix());
    }
}
