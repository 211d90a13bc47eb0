package dev.migsafe.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.python.eval.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migration model, field by field, on small sources that isolate one construct each. */
class MigrationReaderTest {

    private final MigrationReader reader = new MigrationReader();

    private MigrationFile read(String source) {
        return reader.read("shop/orders/migrations/0002_x.py", source.getBytes(StandardCharsets.UTF_8));
    }

    private Migration migration(String source) {
        MigrationFile f = read(source);
        assertEquals(MigrationFile.Status.OK, f.status(), () -> String.valueOf(f.diagnostics()));
        return f.migration();
    }

    private static List<String> rules(MigrationFile f) {
        return f.diagnostics().stream().map(Diagnostic::rule).toList();
    }

    @Test
    void dependenciesOfEveryKind() {
        Migration m = migration("""
                from django.conf import settings
                from django.db import migrations

                class Migration(migrations.Migration):
                    dependencies = [
                        ("orders", "0001_initial"),
                        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
                        ("catalog", "__first__"),
                        ("billing", "__latest__"),
                    ]
                """);
        List<Dependency> deps = m.dependencies();
        assertEquals(new Dependency("orders", "0001_initial", Dependency.Kind.LITERAL, null, null, 6, 9), deps.get(0));
        assertEquals(Dependency.Kind.SWAPPABLE, deps.get(1).kind());
        assertEquals("AUTH_USER_MODEL", deps.get(1).setting());
        assertEquals("__first__", deps.get(1).name());
        assertEquals(Dependency.Kind.FIRST, deps.get(2).kind());
        assertEquals(Dependency.Kind.LATEST, deps.get(3).kind());
        assertTrue(m.dependenciesResolved());
    }

    @Test
    void operationsResolveThroughEveryImportForm() {
        Migration m = migration("""
                from django.db import migrations as m, models
                from django.db.migrations import AddField
                from django.db.migrations.operations.special import RunPython
                from django.contrib.postgres.operations import AddIndexConcurrently
                from ..operations import CreateTrigger

                def forwards(apps, schema_editor):
                    pass

                class Migration(m.Migration):
                    atomic = False
                    initial = True
                    operations = [
                        AddField("order", "note", models.fields.TextField(null=True)),
                        m.AlterField(model_name="order", name="note", field=models.CharField(max_length=10)),
                        RunPython(forwards, RunPython.noop),
                        AddIndexConcurrently("order", models.Index(fields=["note"], name="note_idx")),
                        CreateTrigger("x"),
                    ]
                """);
        List<Operation> ops = m.operations();
        assertEquals("django.db.migrations.AddField", ops.get(0).qualified());
        assertEquals("django.db.models.TextField", ops.get(0).field().fieldClass());
        assertEquals("note", ops.get(0).field().name());
        assertEquals(new Value.Bool(true, 14, 64), ops.get(0).field().kwargs().get("null"));
        assertEquals("django.db.migrations.AlterField", ops.get(1).qualified());
        assertEquals("django.db.migrations.RunPython", ops.get(2).qualified());
        Value.Ref code = (Value.Ref) ops.get(2).arg(0, "code");
        assertEquals(Value.RefKind.FUNCTION, code.kind());
        assertEquals("django.db.migrations.RunPython.noop", ((Value.Ref) ops.get(2).arg(1, "reverse_code")).qualified());
        assertEquals("django.contrib.postgres.operations.AddIndexConcurrently", ops.get(3).qualified());
        assertEquals("shop.orders.operations.CreateTrigger", ops.get(4).qualified());
        assertEquals(14, ops.get(0).line());
        assertEquals(9, ops.get(0).column());
        assertEquals(Boolean.FALSE, m.atomic());
        assertEquals(Boolean.TRUE, m.initial());
        assertEquals(List.of("django.db.migrations.Migration"), m.bases());
    }

    @Test
    void constantsConcatenationAndClassBodyNames() {
        Migration m = migration("""
                from django.db import migrations
                SQL = "CREATE INDEX " + "x ON y (z);"
                BASE = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]

                class Migration(migrations.Migration):
                    state = [migrations.DeleteModel("Old")]
                    operations = BASE + [
                        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=state),
                        *BASE,
                    ]
                """);
        assertTrue(m.operationsResolved());
        assertEquals(3, m.operations().size());
        assertEquals(new Value.Str("CREATE INDEX x ON y (z);", false, 2, 7), m.operations().get(0).arg(0, "sql"));
        Operation separate = m.operations().get(1);
        assertEquals(List.of(), separate.databaseOperations());
        assertEquals("DeleteModel", separate.stateOperations().get(0).type());
        assertEquals("RunSQL", m.operations().get(2).type());
    }

    @Test
    void createModelFieldsAndSquashMetadata() {
        Migration m = migration("""
                from django.db import migrations, models

                class Migration(migrations.Migration):
                    replaces = [("orders", "0001_initial"), ("orders", "0002_more")]
                    run_before = [("billing", "0001_initial")]
                    operations = [
                        migrations.CreateModel(
                            name="Order",
                            fields=[
                                ("id", models.BigAutoField(primary_key=True)),
                                ("total", models.DecimalField(max_digits=10, decimal_places=2)),
                            ],
                            options={"db_table": "shop_order"},
                        ),
                    ]
                """);
        assertEquals(List.of(new MigrationKey("orders", "0001_initial"), new MigrationKey("orders", "0002_more")), m.replaces());
        assertEquals(List.of(new MigrationKey("billing", "0001_initial")), m.runBefore());
        List<FieldSpec> fields = m.operations().get(0).fields();
        assertEquals(List.of("id", "total"), fields.stream().map(FieldSpec::name).toList());
        assertEquals("DecimalField", fields.get(1).simpleClass());
        assertInstanceOf(Value.DictV.class, m.operations().get(0).arg(3, "options"));
    }

    @Test
    void dynamicOperationsAreP003ButResolvablePartsRemain() {
        MigrationFile f = read("""
                from django.db import migrations
                NAMES = ["a", "b"]

                class Migration(migrations.Migration):
                    operations = [migrations.RemoveField("order", "x")] + [
                        migrations.RemoveField("order", n) for n in NAMES
                    ]
                """);
        assertEquals(List.of("P003"), rules(f));
        assertFalse(f.migration().operationsResolved());
        assertEquals(1, f.migration().operations().size());
        assertTrue(f.diagnostics().get(0).message().contains("comprehension"));
        assertEquals(5, f.diagnostics().get(0).line());
    }

    @Test
    void conditionalAndPostClassChangesAreP003() {
        MigrationFile conditional = read("""
                from django.conf import settings
                from django.db import migrations

                class Migration(migrations.Migration):
                    if settings.SEARCH:
                        operations = [migrations.RunSQL("x", "y")]
                    else:
                        operations = []
                """);
        assertEquals(List.of("P003"), rules(conditional));
        assertEquals(1, conditional.migration().operations().size());
        MigrationFile after = read("""
                from django.db import migrations

                class Migration(migrations.Migration):
                    operations = []

                Migration.operations.append(migrations.RunSQL("x", "y"))
                """);
        assertEquals(List.of("P003"), rules(after));
        assertFalse(after.migration().operationsResolved());
    }

    @Test
    void moduleWithoutMigrationClassIsP002() {
        MigrationFile f = read("def helper():\n    return []\n");
        assertEquals(MigrationFile.Status.NOT_A_MIGRATION, f.status());
        assertEquals(List.of("P002"), rules(f));
        assertNull(f.migration());
    }

    @Test
    void syntaxErrorIsP001WithPosition() {
        MigrationFile f = read("class Migration:\n    operations = [\n");
        assertEquals(MigrationFile.Status.ERROR, f.status());
        assertEquals("P001", f.error().rule());
        assertEquals(2, f.error().line());
    }

    @Test
    void otherToolsMarkersAreKeptAsAttributes() {
        Migration m = migration("""
                from django.db import migrations
                from django_safemigrate import Safe
                from syzygy import Stage

                class Migration(migrations.Migration):
                    safe = Safe.after_deploy()
                    stage = Stage.POST_DEPLOY
                    is_post_deployment = True
                    operations = []
                """);
        assertEquals("django_safemigrate.Safe.after_deploy", ((Value.Call) m.attributes().get("safe")).callee());
        assertEquals("syzygy.Stage.POST_DEPLOY", ((Value.Ref) m.attributes().get("stage")).qualified());
        assertEquals(new Value.Bool(true, 8, 26), m.attributes().get("is_post_deployment"));
    }

    @Test
    void loneCarriageReturnsEndLinesAsInCPython() throws Exception {
        MigrationFile f = reader.read("app/migrations/0001_cr.py",
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of("fixtures/python/valid/lone_cr_line_endings.py")));
        assertEquals(4, f.migration().line());
        assertEquals(5, f.migration().operations().get(0).line());
        assertEquals(19, f.migration().operations().get(0).column());
    }
}
