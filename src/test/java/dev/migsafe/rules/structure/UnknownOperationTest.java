package dev.migsafe.rules.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migsafe.git.Snapshot;
import dev.migsafe.git.SourceFile;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.OperationVerdict;
import dev.migsafe.rules.Settings;
import dev.migsafe.state.Database;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * P004 with the project's custom-operations (the fixture harness has no configuration): a
 * configured compatible operation is silent, another class is reported under P004 with that
 * class and its severity, and keys match the qualified name, the name without middle modules,
 * or a bare class name.
 */
class UnknownOperationTest {

    private static final String INITIAL = """
            from django.db import migrations, models


            class Migration(migrations.Migration):
                initial = True
                operations = [
                    migrations.CreateModel(
                        name="Order",
                        fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
                    ),
                ]
            """;

    private static final String NEW = """
            import pgtrigger.migrations
            import pgtrigger.compiler
            from django.db import migrations
            from shop.operations import LockTable, Rebuild


            class Migration(migrations.Migration):
                dependencies = [("shop", "0001_initial")]
                operations = [
                    pgtrigger.migrations.AddTrigger(model_name="order", trigger=pgtrigger.compiler.Trigger(name="t")),
                    LockTable("order"),
                    Rebuild(model_name="order"),
                    pgtrigger.migrations.RemoveTrigger(model_name="order", name="t"),
                ]
            """;

    private static List<OperationVerdict> analyse(Map<String, DeployClass> custom) {
        Map<String, SourceFile> files = new TreeMap<>();
        files.put("shop/migrations/0001_initial.py", file("shop/migrations/0001_initial.py", INITIAL));
        files.put("shop/migrations/0002_triggers.py", file("shop/migrations/0002_triggers.py", NEW));
        ModuleParser parser = new ModuleParser();
        LoadedSnapshot head = LoadedSnapshot.load(new Snapshot("test", null, files, Map.of()),
                new MigrationReader(parser), parser, Map.of(), Map.of());
        Analysis a = new Analyzer(new Settings(Database.POSTGRESQL, null, custom), Map.of())
                .run(head, java.util.Set.of(new MigrationKey("shop", "0002_triggers")), false);
        return a.migrations().get(0).operations();
    }

    private static SourceFile file(String path, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new SourceFile(path, null, () -> bytes);
    }

    private static String summary(OperationVerdict v) {
        StringBuilder out = new StringBuilder(v.op().type() + " " + v.deployClass().label());
        for (Finding f : v.findings()) {
            out.append(" ").append(f.rule()).append("/").append(f.severity().name().toLowerCase());
        }
        return out.toString();
    }

    @Test
    void withoutConfigurationEveryThirdPartyOperationIsReview() {
        assertEquals(List.of("AddTrigger review P004/warning", "LockTable review P004/warning",
                        "Rebuild review P004/warning", "RemoveTrigger review P004/warning"),
                analyse(Map.of()).stream().map(UnknownOperationTest::summary).toList());
    }

    @Test
    void configuredClassesDecideTheVerdict() {
        Map<String, DeployClass> custom = Map.of(
                "pgtrigger.AddTrigger", DeployClass.COMPATIBLE,            // middle module left out
                "shop.operations.LockTable", DeployClass.DOWNTIME,         // exact qualified name
                "Rebuild", DeployClass.TWO_PHASE,                          // bare class name
                "pgtrigger.migrations.RemoveTrigger", DeployClass.REVIEW);
        assertEquals(List.of("AddTrigger compatible", "LockTable downtime P004/error",
                        "Rebuild two-phase P004/error", "RemoveTrigger review P004/warning"),
                analyse(custom).stream().map(UnknownOperationTest::summary).toList());
    }

    @Test
    void theMostSpecificKeyWins() {
        Map<String, DeployClass> custom = Map.of("AddTrigger", DeployClass.DOWNTIME,
                "pgtrigger.migrations.AddTrigger", DeployClass.COMPATIBLE,
                "otherlib.AddTrigger", DeployClass.REVIEW);
        assertEquals(Map.entry("pgtrigger.migrations.AddTrigger", DeployClass.COMPATIBLE),
                UnknownOperation.configured(custom, "pgtrigger.migrations.AddTrigger"));
        assertEquals(Map.entry("AddTrigger", DeployClass.DOWNTIME),
                UnknownOperation.configured(custom, "thirdlib.AddTrigger"));
        assertEquals(null, UnknownOperation.configured(Map.of("pgtrigger.AddTrigger", DeployClass.REVIEW),
                "pgtriggerx.migrations.AddTrigger"));
    }
}
