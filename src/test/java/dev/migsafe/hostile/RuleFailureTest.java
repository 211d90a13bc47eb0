package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.git.MigrationPaths;
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
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.MigrationVerdict;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RangeRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A rule that throws costs the user one operation's verdict (P007 there), never the run. */
class RuleFailureTest {

    private static final String SECOND = """
            from django.db import migrations, models


            class Migration(migrations.Migration):
                dependencies = [("shop", "0001_initial")]
                operations = [
                    migrations.AddField("order", "boom", models.TextField(null=True)),
                    migrations.AddField("order", "extra", models.IntegerField(default=0)),
                ]
            """;

    /** Throws on the field named "boom" only, as a rule with a bug would on one odd value. */
    private static final class Exploding extends OperationRule {
        Exploding() {
            super(RuleInfo.classifying("C901", "exploding", DeployClass.TWO_PHASE));
        }

        @Override
        public void check(OperationContext ctx) {
            if ("boom".equals(ctx.str(1, "name"))) {
                throw new NullPointerException("a value the rule did not expect");
            }
        }
    }

    private static final class ExplodingMigrationRule extends MigrationRule {
        ExplodingMigrationRule() {
            super(RuleInfo.classifying("C902", "exploding-migration", DeployClass.TWO_PHASE));
        }

        @Override
        public void check(MigrationContext ctx) {
            throw new IllegalStateException();
        }
    }

    private static final class RecursingRangeRule extends RangeRule {
        RecursingRangeRule() {
            super(RuleInfo.classifying("C903", "recursing-range", DeployClass.TWO_PHASE));
        }

        @Override
        public void check(List<MigrationContext> migrations) {
            check(migrations);
        }
    }

    @Test
    void aFailingRuleBecomesP007OnItsOperationAndEveryOtherRuleStillJudges() {
        List<Rule> rules = new ArrayList<>(RuleCatalog.all());
        rules.add(new Exploding());
        rules.add(new ExplodingMigrationRule());
        rules.add(new RecursingRangeRule());
        Analysis analysis = analyse(rules);

        List<String> p006 = analysis.findings().stream().filter(f -> f.rule().equals("P007"))
                .map(f -> f.line() + " " + f.operation() + " " + f.message().substring(0, f.message().indexOf(" could")))
                .toList();
        assertEquals(List.of("7 0 rule C901 (exploding)", "4 null rule C902 (exploding-migration)",
                "4 null rule C903 (recursing-range)"), p006);
        Finding first = analysis.findings().stream().filter(f -> f.rule().equals("P007")).findFirst().orElseThrow();
        assertTrue(first.message().contains("NullPointerException at RuleFailureTest.java"), first.message());
        // The other operation is judged by every real rule: C101 (NOT NULL without a database default).
        assertTrue(analysis.findings().stream().anyMatch(f -> f.rule().equals("C101") && f.line() == 8),
                analysis.findings().toString());
        MigrationVerdict verdict = analysis.migrations().get(0);
        assertEquals(DeployClass.REVIEW, verdict.operations().get(0).deployClass());
        assertEquals(DeployClass.TWO_PHASE, verdict.operations().get(1).deployClass());
    }

    private static Analysis analyse(List<Rule> rules) {
        byte[] initial = Fixtures.bytes(Fixtures.ROOT.resolve("hostile/every_argument/shop/migrations/0001_initial.py"));
        byte[] second = SECOND.getBytes(StandardCharsets.UTF_8);
        Map<String, SourceFile> files = new TreeMap<>();
        files.put("shop/migrations/0001_initial.py", new SourceFile("shop/migrations/0001_initial.py", null, () -> initial));
        files.put("shop/migrations/0002_more.py", new SourceFile("shop/migrations/0002_more.py", null, () -> second));
        ModuleParser parser = new ModuleParser();
        LoadedSnapshot head = LoadedSnapshot.load(new Snapshot("test", null, files, Map.of(), Map.of()),
                new MigrationReader(parser), parser, Map.of(), Map.of(), MigrationPaths.DEFAULT, Map.of());
        return new Analyzer(Settings.DEFAULT, Map.of(), rules).run(head, Set.of(new MigrationKey("shop", "0002_more")), false);
    }
}
