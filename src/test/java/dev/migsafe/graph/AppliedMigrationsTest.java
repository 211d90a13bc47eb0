package dev.migsafe.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppliedMigrationsTest {

    private static List<String> applied(String text) throws Exception {
        return AppliedMigrations.read(text).applied().stream().map(k -> k.app() + "." + k.name()).toList();
    }

    @Test
    void showmigrationsList() throws Exception {
        String text = """
                admin
                 [X] 0001_initial
                 [X] 0002_logentry_remove_auto_add
                orders
                 [X] 0001_initial
                 [X] 0002_squashed_0004 (3 squashed migrations)
                 [ ] 0005_order_note
                sessions
                 (no migrations)
                """;
        assertEquals(List.of("admin.0001_initial", "admin.0002_logentry_remove_auto_add", "orders.0001_initial",
                "orders.0002_squashed_0004"), applied(text));
        assertEquals(5, AppliedMigrations.read(text).listed().size());
    }

    @Test
    void showmigrationsPlanAndTableDump() throws Exception {
        assertEquals(List.of("contenttypes.0001_initial", "orders.0001_initial"), applied("""
                [X]  contenttypes.0001_initial
                [X]  orders.0001_initial (applied at 2026-01-02 10:00:00)
                [ ]  orders.0002_order_note
                """));
        assertEquals(List.of("orders.0001_initial", "orders.0002_order_note"), applied("""
                app,name
                # psql -c "COPY (SELECT app, name FROM django_migrations) TO STDOUT WITH CSV"
                orders,0001_initial
                "orders","0002_order_note"
                """));
    }

    @Test
    void aForeignLineNamesItsNumber() {
        AppliedMigrations.BadLine e = assertThrows(AppliedMigrations.BadLine.class,
                () -> AppliedMigrations.read("orders,0001_initial\nOperations to perform:\n"));
        assertEquals(2, e.line());
        assertThrows(AppliedMigrations.BadLine.class, () -> AppliedMigrations.read(" [X] 0001_initial\n"));
    }
}
