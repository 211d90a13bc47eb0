package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.config.Config;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfiguredPolicyTest {

    private static Config config(Set<String> disable, Map<String, Severity> severity, Map<String, String> startAfter) {
        return new Config(".migsafe.toml", null, null, null, List.of(), List.of(), Map.of(), Map.of(), disable, severity,
                null, null, startAfter, Map.of(), Map.of());
    }

    private static Finding finding(String rule, String app, String migration) {
        return new Finding(rule, Severity.ERROR, "p.py", 1, 1, app, migration, "m", "f", DeployClass.TWO_PHASE, 0);
    }

    @Test
    void nothingConfiguredIsNoPolicy() {
        assertSame(FindingPolicy.NONE, ConfiguredPolicy.of(Config.EMPTY));
    }

    @Test
    void disabledRulesAreDropped() {
        FindingPolicy p = ConfiguredPolicy.of(config(Set.of("C102"), Map.of(), Map.of()));
        assertNull(p.apply(finding("C102", "orders", "0008_x")));
        assertEquals("C101", p.apply(finding("C101", "orders", "0008_x")).rule());
    }

    @Test
    void severityIsOverriddenAndTheRestKept() {
        FindingPolicy p = ConfiguredPolicy.of(config(Set.of(), Map.of("C101", Severity.WARNING), Map.of()));
        Finding f = p.apply(finding("C101", "orders", "0008_x"));
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(DeployClass.TWO_PHASE, f.deployClass());
        assertEquals(Severity.ERROR, p.apply(finding("C102", "orders", "0008_x")).severity());
    }

    @Test
    void startAfterDropsTheAppsMigrationsUpToAndIncludingIt() {
        FindingPolicy p = ConfiguredPolicy.of(config(Set.of(), Map.of(), Map.of("orders", "0007_delete_ordernote")));
        assertNull(p.apply(finding("C101", "orders", "0002_order_coupon_and_notes")));
        assertNull(p.apply(finding("C101", "orders", "0007_delete_ordernote")));
        assertEquals("0008_x", p.apply(finding("C101", "orders", "0008_x")).migration());
        assertEquals("0002_y", p.apply(finding("C101", "billing", "0002_y")).migration(), "only that app");
        assertEquals("G002", p.apply(new Finding("G002", Severity.ERROR, null, 1, 1, null, null, "m", "f")).rule());
    }

    @Test
    void orderIsByNumberThenName() {
        assertTrue(ConfiguredPolicy.atOrBefore("0009_a", "0010_b"), "numbers, not text: 0009 < 0010");
        assertTrue(ConfiguredPolicy.atOrBefore("0042_a", "0042_a"));
        assertFalse(ConfiguredPolicy.atOrBefore("0042_b", "0042_a"), "a sibling with the same number came later");
        assertTrue(ConfiguredPolicy.atOrBefore("0042_b", "0042"), "a bare number covers all of that number");
        assertFalse(ConfiguredPolicy.atOrBefore("0043_a", "0042"));
        assertTrue(ConfiguredPolicy.atOrBefore("1000_a", "10000_b"));
        assertTrue(ConfiguredPolicy.atOrBefore("alpha", "beta"), "names without numbers compare as text");
        assertFalse(ConfiguredPolicy.atOrBefore("custom", "0042_a"), "cannot be ordered: judged");
    }
}
