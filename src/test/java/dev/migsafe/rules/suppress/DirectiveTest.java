package dev.migsafe.rules.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.python.ast.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one comment reads as a suppression: ids, reason, and the line it covers. */
class DirectiveTest {

    private static final String[] SOURCE = {
            "operations = [",                                  // 1
            "    # migsafe: ignore[C102] first line of reason", // 2
            "    # and its second line",                       // 3
            "    migrations.RemoveField('order', 'note'),",     // 4
            "    migrations.RunSQL(SQL),  # see below",          // 5
            "]",                                               // 6
    };

    private static Directive parse(int line, int column, String text) {
        return Directive.parse(new Module.Comment(line, column, text), SOURCE);
    }

    @Test
    void aCommentBlockAboveCoversTheLineBelowIt() {
        Directive d = parse(2, 5, "# migsafe: ignore[C102] first line of reason");
        assertEquals(4, d.target());
        assertEquals(List.of("C102"), d.ids());
        assertEquals("first line of reason", d.reason());
    }

    @Test
    void aTrailingCommentCoversItsOwnLine() {
        Directive d = parse(5, 30, "# migsafe: ignore[c199, r302]: creates a trigger");
        assertEquals(5, d.target());
        assertEquals(List.of("C199", "R302"), d.ids());
        assertEquals("creates a trigger", d.reason());
    }

    @Test
    void theReasonEndsAtAChainedPragmaButKeepsAnIssueNumber() {
        assertEquals("see #123 for the backfill",
                parse(5, 30, "# migsafe: ignore[C102] see #123 for the backfill  # noqa: E501").reason());
        assertEquals("", parse(5, 30, "# migsafe: ignore[C102] -  # type: ignore").reason());
        Directive after = parse(5, 30, "# noqa: E501  # migsafe: ignore[C102] after another pragma");
        assertEquals(List.of("C102"), after.ids());
        assertEquals("after another pragma", after.reason());
    }

    @Test
    void fileWideDirectivesCoverNoLine() {
        Directive d = parse(1, 1, "#migsafe:ignore-file[L201 L202] small tables");
        assertTrue(d.fileWide());
        assertEquals(0, d.target());
        assertEquals(List.of("L201", "L202"), d.ids());
    }

    @Test
    void unknownIdsAndMalformedDirectivesAreKeptForX002() {
        Directive unknown = parse(5, 30, "# migsafe: ignore[C102,C999] reason");
        assertEquals(List.of("C102"), unknown.ids());
        assertEquals(List.of("C999"), unknown.unknown());
        assertNotNull(parse(5, 30, "# migsafe: ignore the whole thing").problem());
        assertNotNull(parse(5, 30, "# migsafe: ignore[] reason").problem());
        assertNotNull(parse(5, 30, "# migsafe: ignore-files[C102] reason").problem());
    }

    @Test
    void otherCommentsAreNoDirectives() {
        assertNull(parse(1, 1, "# migsafe-test: new"));
        assertNull(parse(1, 1, "# migsafe: this table is big"));
        assertNull(parse(1, 1, "# ignore[C102] without the migsafe prefix"));
        assertNull(parse(1, 1, "# migsafe: ignored"));
    }
}
