package dev.migsafe.deployed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.git.SourceFile;
import dev.migsafe.git.Snapshot;
import dev.migsafe.migration.Evidence;
import dev.migsafe.python.ModuleParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployed model layer and its evidence, on fixtures/deployed/shop (see its models.py). */
class DeployedCodeTest {

    private static final Path ROOT = Fixtures.ROOT.resolve("deployed/shop");

    private static DeployedCode code() throws IOException {
        Map<String, SourceFile> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(ROOT)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("README.md")).forEach(p -> {
                String rel = ROOT.relativize(p).toString().replace('\\', '/');
                byte[] bytes = Fixtures.bytes(p);
                files.put(rel, new SourceFile(rel, null, () -> bytes));
            });
        }
        Snapshot base = new Snapshot("base", "0123456789abcdef", Map.of(), Map.of(), files);
        return DeployedCode.of(base, Map.of("orders", "shop/orders/"), List.of("shop/orders/migrations/0001_initial.py"),
                new ModuleParser());
    }

    @Test
    void aDeclaredFieldIsMappedWithItsLine() throws IOException {
        Mapping m = code().column("orders", "Order", "orders_order", "note", "note");
        assertEquals(Mapping.State.MAPPED, m.state());
        assertEquals("shop/orders/models.py:12", m.where().where());
    }

    @Test
    void deprecateFieldKeepsTheColumnOutOfQueries() throws IOException {
        Mapping m = code().column("orders", "Order", "orders_order", "old_code", "old_code");
        assertEquals(Mapping.State.DEPRECATED, m.state());
        assertTrue(m.released());
    }

    @Test
    void aFieldGoneFromACompleteModelIsGone() throws IOException {
        assertEquals(Mapping.State.GONE, code().column("orders", "Order", "orders_order", "discount", "discount").state());
    }

    @Test
    void fieldsOfAnAbstractBaseInAnotherAppCount() throws IOException {
        Mapping m = code().column("orders", "Order", "orders_order", "created", "created");
        assertEquals(Mapping.State.MAPPED, m.state());
        assertEquals("shop/core/models.py:5", m.where().where());
    }

    @Test
    void columnsAreMatchedByDbColumnAndForeignKeysById() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.column("orders", "Order", "orders_order", "total", "legacy_total").state());
        assertEquals(Mapping.State.MAPPED, code.column("orders", "Order", "orders_order", "customer", "customer_id").state());
    }

    @Test
    void aMultiTableChildOwnsOnlyItsFieldsAndItsParentLink() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.column("orders", "PriorityOrder", "orders_priorityorder", "level", "level").state());
        assertEquals(Mapping.State.MAPPED,
                code.column("orders", "PriorityOrder", "orders_priorityorder", "order_ptr", "order_ptr_id").state());
        assertEquals(Mapping.State.GONE,
                code.column("orders", "PriorityOrder", "orders_priorityorder", "number", "number").state());
    }

    @Test
    void aThirdPartyBaseLeavesAbsentFieldsUnknown() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.column("orders", "Category", "orders_category", "name", "name").state());
        assertEquals(Mapping.State.UNKNOWN, code.column("orders", "Category", "orders_category", "lft", "lft").state());
    }

    @Test
    void tablesAreFoundByDbTableAndGoneModelsAreGone() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.UNUSED, code.table("orders", "Archive", "orders_archive_v2").state());
        assertEquals(Mapping.State.GONE, code.table("orders", "Coupon", "orders_coupon").state());
        assertEquals(Mapping.State.MAPPED, code.table("orders", "Order", "orders_order").state());
    }

    @Test
    void evidenceNamesLookupsAttributesFormsAndTemplates() throws IOException {
        DeployedCode code = code();
        Mapping m = code.column("orders", "Order", "orders_order", "note", "note");
        List<String> places = code.usesOfField(m, "orders", "Order", "note").stream()
                .map(e -> e.kind() + " " + e.where()).toList();
        // Declaration, then the code that queries (by kind, then file), then forms and templates.
        // The model through a module alias (shop/api/types.py:17), not the GraphQL type of the same name
        // there (line 13), nor the form that excludes the field.
        assertEquals(List.of("declaration shop/orders/models.py:12", "lookup shop/api/types.py:17",
                "lookup shop/orders/tasks.py:5", "lookup shop/orders/views.py:7",
                "lookup shop/orders/views.py:8", "attribute shop/orders/models.py:18", "attribute shop/orders/views.py:10",
                "form shop/orders/forms.py:9", "template shop/orders/templates/orders/list.html:1"), places);
    }

    @Test
    void evidenceIgnoresOtherObjectsOfTheSameAttributeName() throws IOException {
        DeployedCode code = code();
        Mapping m = code.column("orders", "Order", "orders_order", "note", "note");
        List<Evidence> places = code.usesOfField(m, "orders", "Order", "note");
        // The template has {{ order.note }} on line 1 (an Order) and {{ invoice.note }} on line 2 (not one).
        assertTrue(places.stream().anyMatch(e -> e.text().contains("order.note")), places.toString());
        for (Evidence e : places) {
            assertFalse(e.text().contains("invoice.note"), e.toString());
        }
    }

    @Test
    void theImplicitIdIsMappedUnlessAPrimaryKeyIsDeclared() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.column("orders", "Order", "orders_order", "id", "id").state());
        // The multi-table child's primary key is its parent link: it has no id column.
        assertEquals(Mapping.State.GONE, code.column("orders", "PriorityOrder", "orders_priorityorder", "id", "id").state());
    }

    @Test
    void aModelReachedWithoutBeingNamedIsNotUnused() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.table("orders", "Reply", "orders_reply").state()); // FK to auth.User
        assertEquals(Mapping.State.MAPPED, code.table("orders", "Category", "orders_category").state()); // MPTT base
        assertEquals(Mapping.State.MAPPED, code.table("orders", "PriorityOrder", "orders_priorityorder").state()); // MTI
    }

    @Test
    void aModelDeclaredUnderIfIsRead() throws IOException {
        // Read (else the class found by text would leave it unknown), and not unused: its `if` line names it.
        assertEquals(Mapping.State.MAPPED, code().table("orders", "Voucher", "orders_voucher").state());
    }

    @Test
    void tablesAndColumnsALibraryGeneratesAreNeverGone() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.UNKNOWN, code.table("orders", "HistoricalOrder", "orders_historicalorder").state());
        // The evidence is the line that makes django-simple-history generate the table.
        assertEquals("shop/orders/models.py:37",
                code.table("orders", "HistoricalArchive", "orders_historicalarchive").where().where());
        assertEquals(Mapping.State.UNKNOWN, code.table("orders", "OrderTranslation", "orders_order_translation").state());
        assertEquals(Mapping.State.UNKNOWN, code.column("orders", "Order", "orders_order", "note_en", "note_en").state());
    }

    @Test
    void aModelWithARelationNamesItAsEvidence() throws IOException {
        Mapping m = code().table("orders", "Reply", "orders_reply");
        assertEquals(List.of("relation shop/orders/models.py:48"), m.also().stream().map(e -> e.kind() + " " + e.where()).toList());
    }

    @Test
    void aFieldRenamedByItsNameArgumentIsKnownByThatName() throws IOException {
        DeployedCode code = code();
        assertEquals(Mapping.State.MAPPED, code.column("orders", "Archive", "orders_archive_v2", "stamped_at", "stamped_at").state());
        assertEquals(Mapping.State.GONE, code.column("orders", "Archive", "orders_archive_v2", "stamp", "stamp").state());
    }

    @Test
    void noDeployedSideKnowsNothing() {
        assertEquals(Mapping.State.UNKNOWN, DeployedCode.NONE.column("orders", "Order", "orders_order", "note", "note").state());
        assertTrue(DeployedCode.NONE.usesOfModel("orders", "Order").isEmpty());
    }
}
