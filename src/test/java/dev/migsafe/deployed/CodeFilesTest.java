package dev.migsafe.deployed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.git.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the evidence search finds candidate files, and what it leaves out. */
class CodeFilesTest {

    @Test
    void aFieldIsFoundAsAWordAsALookupAndAsItsColumn() {
        assertTrue(CodeFiles.hasField("qs.filter(note__icontains=q)", "note"));
        assertTrue(CodeFiles.hasField("row.customer_id", "customer"));
        assertTrue(CodeFiles.hasField("order.note", "note"));
        assertFalse(CodeFiles.hasField("order.notes", "note"));
        assertFalse(CodeFiles.hasField("row.customer_ids", "customer"));
        assertFalse(CodeFiles.hasField("footnote = 1", "note"));
    }

    @Test
    void aWordIsAWholeIdentifierOnly() {
        assertTrue(CodeFiles.hasWord("Order.objects", "Order"));
        assertFalse(CodeFiles.hasWord("OrderLine.objects", "Order"));
        assertFalse(CodeFiles.hasWord("note__icontains", "note"));
    }

    @Test
    void proseIsBlankedAndLinesStay() {
        String source = "class A:\n    \"\"\"The Tweet table\n    is truncated.\"\"\"\n    x = Tweet  # a Tweet\n";
        String code = CodeFiles.withoutProse(source);
        assertEquals(source.split("\n", -1).length, code.split("\n", -1).length);
        assertEquals("    x = Tweet", code.split("\n")[3].stripTrailing());
        assertFalse(code.substring(0, code.indexOf("x =")).contains("Tweet"));
    }

    @Test
    void testsMigrationsAndHugeFilesAreNoEvidence() {
        byte[] huge = "x = 1\n".repeat(CodeFiles.MAX_FILE_BYTES / 6 + 1).getBytes(StandardCharsets.UTF_8);
        byte[] small = "Order.objects.all()\n".getBytes(StandardCharsets.UTF_8);
        CodeFiles files = new CodeFiles(Map.of(
                "shop/generated.py", new SourceFile("shop/generated.py", null, () -> huge),
                "shop/views.py", new SourceFile("shop/views.py", null, () -> small),
                "shop/tests/test_views.py", new SourceFile("shop/tests/test_views.py", null, () -> small),
                "shop/migrations/0002_x.py", new SourceFile("shop/migrations/0002_x.py", null, () -> small)));
        assertEquals(java.util.List.of("shop/generated.py", "shop/views.py"), files.paths());
        assertNull(files.text("shop/generated.py"));
        assertEquals("Order.objects.all()\n", files.text("shop/views.py"));
    }
}
