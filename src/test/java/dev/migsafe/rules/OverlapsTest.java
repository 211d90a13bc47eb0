package dev.migsafe.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlapsTest {

    private static Finding f(String rule, Integer op) {
        return new Finding(rule, Severity.ERROR, "shop/migrations/0003_x.py", 10, 9, "shop", "0003_x", "m", "fix",
                DeployClass.TWO_PHASE, op);
    }

    private static List<String> rules(List<Finding> fs) {
        return fs.stream().map(x -> x.rule() + "@" + x.operation()).toList();
    }

    @Test
    void s501ReplacesC105AndC102OnItsOwnOperationOnly() {
        List<Finding> in = List.of(f("C105", 0), f("S501", 0), f("L207", 0), f("C105", 1), f("C102", 2), f("S501", 2));
        assertEquals(List.of("S501@0", "L207@0", "C105@1", "S501@2"), rules(Overlaps.fold(in)));
    }

    @Test
    void aSuppressedS501StillReplacesC105() {
        List<Finding> in = List.of(f("C105", 0), f("S501", 0).suppress("reviewed"));
        assertEquals(List.of("S501@0"), rules(Overlaps.fold(in)));
    }

    @Test
    void withoutS501C105Stays() {
        assertEquals(List.of("C105@0"), rules(Overlaps.fold(List.of(f("C105", 0)))));
    }
}
