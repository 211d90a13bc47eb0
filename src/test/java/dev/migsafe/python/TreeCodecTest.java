package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A decoded tree must be the parsed tree: rules must not be able to tell a cache hit from a parse. */
class TreeCodecTest {

    @Test
    void everyFixtureRoundTripsToAnEqualResult() {
        ModuleParser parser = new ModuleParser();
        List<Path> files = Fixtures.pythonFiles("");
        int trees = 0;
        int problems = 0;
        for (Path p : files) {
            ModuleParser.Parsed parsed = parser.parse(Fixtures.bytes(p), p.toString());
            assertEquals(parsed, TreeCodec.decode(TreeCodec.encode(parsed)), p.toString());
            if (parsed.ok()) {
                trees++;
            } else {
                problems++;
            }
        }
        // Both kinds of result are covered by the fixtures.
        assertTrue(trees > 200, "trees: " + trees);
        assertTrue(problems > 5, "syntax problems: " + problems);
    }

    @Test
    void sourceCommentsAndPositionsSurvive() {
        String source = "# héllo\nx = {**a, 'k': b[1:], 3: -1.5e3j}  # tail\nf = lambda *a, b=0x_ff, **k: f'{a}'\n";
        ModuleParser.Parsed parsed = new ModuleParser().parse(source, "t.py");
        ModuleParser.Parsed back = TreeCodec.decode(TreeCodec.encode(parsed));
        assertEquals(parsed.module().source(), back.module().source());
        assertEquals(parsed.module().comments(), back.module().comments());
        assertEquals(parsed.module().body(), back.module().body());
    }

    @Test
    void truncatedOrAlteredBytesAreRejectedNotMisread() {
        ModuleParser.Parsed parsed = new ModuleParser().parse("from django.db import migrations\nX = [1, 2]\n", "t.py");
        byte[] bytes = TreeCodec.encode(parsed);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(CompactIO.Malformed.class, () -> TreeCodec.decode(truncated), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(CompactIO.Malformed.class, () -> TreeCodec.decode(longer));
        assertFalse(bytes.length == 0);
    }
}
