package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migsafe.Fixtures;
import dev.migsafe.git.MigrationPaths;
import dev.migsafe.git.Snapshot;
import dev.migsafe.git.SourceFile;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.rules.Analysis;
import dev.migsafe.rules.Analyzer;
import dev.migsafe.rules.DjangoVersion;
import dev.migsafe.rules.Settings;
import dev.migsafe.state.Database;
import dev.migsafe.state.ReplayProblem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every rule survives every value the evaluator can hand it: each argument of each Django
 * operation (and of the fields, indexes and constraints inside them) is in turn left out,
 * computed by a call, or given a value of the wrong kind, in a migration analysed on top of
 * fixtures/hostile/every_argument. No rule may fail (P007), no replay may fail, and no message may
 * name a model or field it could not read as "null".
 */
class EveryArgumentTest {

    private static final Path BASE = Fixtures.ROOT.resolve("hostile/every_argument");
    private static final String MISSING = "<missing>";
    /** What a migration can hold where a rule expects a literal; "dyn(...)" is opaque to the evaluator. */
    private static final List<String> VALUES = List.of(MISSING, "dyn()", "None", "7", "-1", "2.5", "\"\"", "\"zz\"",
            "True", "[]", "[dyn()]", "[None]", "{}", "{dyn(): dyn()}", "(dyn(), 1)", "{(\"a\",)}", "UNKNOWN_NAME",
            "settings.X", "models.Q(dyn())", "lambda: 1", "b\"x\"", "*dyn()", "**dyn()");
    private static final List<Database> DATABASES = List.of(Database.of("postgresql"), Database.of("mysql"), Database.of("sqlite"));
    private static final Pattern NULL_NAME = Pattern.compile("[A-Za-z_]\\.null\\b(?!=)|\\bnull\\.|\\bnull\\b(?= (column|table|field|model))");

    /** A call with its arguments: each a keyword (null for positional) and a default value. */
    private record Call(String callee, List<String[]> args) {
        String render(int slot, String value) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String v = i == slot ? value : args.get(i)[1];
                if (v.equals(MISSING) || v.equals("MISSING")) { // "MISSING": an argument left out unless varied
                    continue;
                }
                out.add(args.get(i)[0] == null || v.startsWith("*") ? v : args.get(i)[0] + "=" + v);
            }
            return callee + "(" + String.join(", ", out) + ")";
        }

        String render() {
            return render(-1, null);
        }
    }

    private static String[] pos(String value) {
        return new String[] {null, value};
    }

    private static String[] kw(String keyword, String value) {
        return new String[] {keyword, value};
    }

    private static Call call(String callee, String[]... args) {
        return new Call(callee, List.of(args));
    }

    /** Fields, indexes and constraints, each with the operations it is tried in ("%s" is where it goes). */
    private static Map<Call, List<String>> inner() {
        List<String> asField = List.of("migrations.AddField(\"order\", \"extra\", %s)", "migrations.AlterField(\"order\", \"note\", %s)",
                "migrations.AlterField(\"order\", \"customer\", %s)", "migrations.AlterField(\"order\", \"id\", %s)",
                "migrations.CreateModel(\"Invoice\", [(\"id\", models.AutoField(primary_key=True)), (\"x\", %s)])");
        List<String> asIndex = List.of("migrations.AddIndex(\"order\", %s)",
                "django.contrib.postgres.operations.AddIndexConcurrently(\"order\", %s)");
        List<String> asConstraint = List.of("migrations.AddConstraint(\"order\", %s)",
                "django.contrib.postgres.operations.AddConstraintNotValid(\"order\", %s)",
                "migrations.AlterField(\"order\", \"note\", models.TextField(default=\"\"))\n        , migrations.AddConstraint(\"order\", %s)");
        Map<Call, List<String>> out = new java.util.LinkedHashMap<>();
        out.put(call("models.IntegerField", kw("null", "False"), kw("default", "0"), kw("db_default", "MISSING"),
                kw("unique", "False"), kw("db_index", "False"), kw("db_column", "\"extra_col\""), kw("primary_key", "False"),
                kw("choices", "[(1, \"one\")]"), kw("blank", "False"), kw("db_comment", "\"c\"")), asField);
        out.put(call("models.CharField", kw("max_length", "10"), kw("default", "\"\""), kw("null", "False"),
                kw("unique", "False"), kw("db_collation", "MISSING"), kw("choices", "[(\"a\", \"A\")]"),
                kw("validators", "[]")), asField);
        out.put(call("models.ForeignKey", kw("to", "\"shop.customer\""), kw("on_delete", "models.CASCADE"),
                kw("null", "True"), kw("related_name", "\"+\""), kw("db_constraint", "True"), kw("to_field", "\"id\""),
                kw("db_index", "True"), kw("db_column", "MISSING")), asField);
        out.put(call("models.ManyToManyField", kw("to", "\"shop.customer\""), kw("through", "MISSING"),
                kw("db_table", "MISSING"), kw("related_name", "\"orders_m2m\"")), asField);
        out.put(call("models.DecimalField", kw("max_digits", "12"), kw("decimal_places", "2"), kw("default", "0")), asField);
        out.put(call("models.GeneratedField", kw("expression", "models.F(\"total\")"), kw("output_field", "models.IntegerField()"),
                kw("db_persist", "True")), asField);
        out.put(call("models.Index", kw("fields", "[\"note\"]"), kw("name", "\"note_idx\""), kw("condition", "MISSING"),
                kw("opclasses", "MISSING"), kw("include", "MISSING")), asIndex);
        out.put(call("models.UniqueConstraint", kw("fields", "[\"note\"]"), kw("name", "\"uniq_note\""),
                kw("condition", "models.Q(note__isnull=False)"), kw("deferrable", "MISSING"), kw("include", "MISSING"),
                kw("nulls_distinct", "MISSING")), asConstraint);
        out.put(call("models.CheckConstraint", kw("check", "models.Q(total__gte=1)"), kw("name", "\"total_min\""),
                kw("condition", "MISSING"), kw("violation_error_message", "MISSING")), asConstraint);
        return out;
    }

    private static List<Call> operations() {
        String field = "models.IntegerField(default=0)";
        return List.of(
                call("migrations.AddField", pos("\"order\""), pos("\"extra\""), pos(field), kw("preserve_default", "True")),
                call("migrations.AddField", kw("model_name", "\"order\""), kw("name", "\"extra\""), kw("field", field)),
                call("migrations.AlterField", pos("\"order\""), pos("\"note\""), pos("models.TextField(default=\"\")"),
                        kw("preserve_default", "False")),
                call("migrations.RemoveField", pos("\"order\""), pos("\"note\"")),
                call("migrations.RemoveField", kw("model_name", "\"tag\""), kw("name", "\"orders\"")),
                call("migrations.RenameField", pos("\"order\""), pos("\"note\""), pos("\"memo\"")),
                call("migrations.CreateModel", pos("\"Invoice\""),
                        pos("[(\"id\", models.AutoField(primary_key=True)), (\"order\", models.ForeignKey(\"shop.order\", models.CASCADE))]"),
                        kw("options", "{\"db_table\": \"inv\", \"managed\": True}"), kw("bases", "(models.Model,)"),
                        kw("managers", "[]")),
                call("migrations.DeleteModel", pos("\"tag\"")),
                call("migrations.RenameModel", pos("\"tag\""), pos("\"label\"")),
                call("migrations.AlterModelTable", pos("\"order\""), pos("\"orders\"")),
                call("migrations.AlterModelTableComment", pos("\"order\""), pos("\"c\"")),
                call("migrations.AlterUniqueTogether", pos("\"order\""), pos("{(\"customer\", \"total\")}")),
                call("migrations.AlterIndexTogether", pos("\"order\""), pos("{(\"customer\", \"total\")}")),
                call("migrations.AlterOrderWithRespectTo", pos("\"order\""), pos("\"customer\"")),
                call("migrations.AlterModelOptions", pos("\"order\""), pos("{\"ordering\": [\"id\"], \"managed\": False}")),
                call("migrations.AlterModelManagers", pos("\"order\""), pos("[]")),
                call("migrations.AddIndex", pos("\"order\""), pos("models.Index(fields=[\"note\"], name=\"note_idx\")")),
                call("migrations.RemoveIndex", pos("\"order\""), pos("\"order_status_idx\"")),
                call("migrations.RenameIndex", pos("\"order\""), kw("new_name", "\"x_idx\""), kw("old_name", "\"order_status_idx\""),
                        kw("old_fields", "MISSING")),
                call("migrations.AddConstraint", pos("\"order\""), pos("models.UniqueConstraint(fields=[\"note\"], name=\"u\")")),
                call("migrations.RemoveConstraint", pos("\"order\""), pos("\"uniq_customer_note\"")),
                call("migrations.AlterConstraint", pos("\"order\""), pos("\"total_positive\""),
                        pos("models.CheckConstraint(check=models.Q(total__gte=0), name=\"total_positive\")")),
                call("migrations.RunSQL", pos("\"ALTER TABLE shop_order ADD COLUMN x integer NOT NULL\""),
                        kw("reverse_sql", "\"ALTER TABLE shop_order DROP COLUMN x\""),
                        kw("state_operations", "[migrations.AddField(\"order\", \"x\", models.IntegerField())]"),
                        kw("hints", "{}"), kw("elidable", "False")),
                call("migrations.RunPython", pos("forwards"), pos("backwards"), kw("atomic", "True"), kw("hints", "{}"),
                        kw("elidable", "False")),
                call("migrations.SeparateDatabaseAndState",
                        kw("database_operations", "[migrations.RunSQL(\"ALTER TABLE shop_order RENAME COLUMN note TO memo\")]"),
                        kw("state_operations", "[migrations.RenameField(\"order\", \"note\", \"memo\")]")),
                call("django.contrib.postgres.operations.AddIndexConcurrently", pos("\"order\""),
                        pos("models.Index(fields=[\"note\"], name=\"note_idx\")")),
                call("django.contrib.postgres.operations.RemoveIndexConcurrently", pos("\"order\""), pos("\"order_status_idx\"")),
                call("django.contrib.postgres.operations.AddConstraintNotValid", pos("\"order\""),
                        pos("models.CheckConstraint(check=models.Q(total__gte=0), name=\"t2\")")),
                call("django.contrib.postgres.operations.ValidateConstraint", pos("\"order\""), pos("\"total_positive\"")),
                call("django.contrib.postgres.operations.CreateExtension", pos("\"citext\"")),
                call("django.contrib.postgres.operations.CreateCollation", pos("\"ci\""), kw("locale", "\"und\""),
                        kw("provider", "\"icu\""), kw("deterministic", "False")));
    }

    /** Every generated migration: its operations' source, one variant per argument and value. */
    private static List<String> variants() {
        List<String> out = new ArrayList<>();
        for (String v : VALUES) {
            if (!v.equals(MISSING)) {
                out.add(v); // an item of `operations` that is no operation at all
            }
        }
        for (Call op : operations()) {
            for (int slot = 0; slot < op.args().size(); slot++) {
                for (String v : VALUES) {
                    out.add(op.render(slot, v));
                }
            }
        }
        inner().forEach((c, parents) -> {
            for (int slot = 0; slot < c.args().size(); slot++) {
                for (String v : VALUES) {
                    String rendered = c.render(slot, v);
                    for (String parent : parents) {
                        out.add(parent.formatted(rendered));
                    }
                }
            }
        });
        return out;
    }

    @Test
    void noRuleFailsOnAnyArgumentMissingOpaqueOrOfTheWrongKind() {
        byte[] initial = Fixtures.bytes(BASE.resolve("shop/migrations/0001_initial.py"));
        List<String> variants = variants();
        List<String> failures = new ArrayList<>();
        ModuleParser parser = new ModuleParser();
        MigrationReader reader = new MigrationReader(parser);
        for (int i = 0; i < variants.size(); i++) {
            String ops = variants.get(i);
            String source = """
                    from django.db import migrations, models
                    import django.contrib.postgres.operations
                    from django.conf import settings


                    def forwards(apps, schema_editor):
                        apps.get_model("shop", "Order").objects.update(note="")


                    def backwards(apps, schema_editor):
                        pass


                    class Migration(migrations.Migration):
                        dependencies = [("shop", "0001_initial")]
                        operations = [
                            %s,
                            migrations.AddField("customer", "later", models.TextField(null=True)),
                        ]
                    """.formatted(ops);
            Map<String, SourceFile> files = new TreeMap<>();
            files.put("shop/migrations/0001_initial.py", new SourceFile("shop/migrations/0001_initial.py", null, () -> initial));
            byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
            files.put("shop/migrations/0002_variant.py", new SourceFile("shop/migrations/0002_variant.py", null, () -> bytes));
            LoadedSnapshot head = LoadedSnapshot.load(new Snapshot("variant", null, files, Map.of(), Map.of()), reader, parser,
                    Map.of(), Map.of(), MigrationPaths.DEFAULT, Map.of());
            Settings settings = new Settings(DATABASES.get(i % DATABASES.size()), DjangoVersion.parse(i % 2 == 0 ? "5.1" : "4.2"),
                    Map.of());
            Analysis analysis;
            try {
                analysis = new Analyzer(settings, Map.of()).run(head, Set.of(new MigrationKey("shop", "0002_variant")), false);
            } catch (RuntimeException e) {
                failures.add(ops + "\n    analysis threw " + e);
                continue;
            }
            for (Finding f : analysis.findings()) {
                if (f.rule().equals("P007")) {
                    failures.add(ops + "\n    " + f.message());
                } else if (NULL_NAME.matcher(f.message()).find()) {
                    failures.add(ops + "\n    " + f.rule() + " names something it could not read as null: " + f.message());
                }
            }
            for (ReplayProblem p : analysis.problems()) {
                if (p.message().startsWith("could not replay")) {
                    failures.add(ops + "\n    " + p.message());
                }
            }
        }
        assertEquals("", String.join("\n", failures.subList(0, Math.min(60, failures.size()))),
                failures.size() + " of " + variants.size() + " variants failed");
    }
}
