package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under fixtures/python/valid parses; every file under fixtures/python/invalid fails
 * with P001 on the line its first-line comment `# error: LINE:COLUMN` names (where CPython 3.13
 * reports it).
 */
class GrammarFixturesTest {

    private static final Pattern EXPECTED = Pattern.compile("^\\uFEFF?# error: (\\d+):(\\d+)");
    private final ModuleParser parser = new ModuleParser();

    static Stream<Path> valid() {
        return Fixtures.pythonFiles("python/valid").stream();
    }

    static Stream<Path> invalid() {
        return Fixtures.pythonFiles("python/invalid").stream();
    }

    @Test
    void fixtureFoldersAreNotEmpty() {
        assertTrue(valid().count() >= 30, "valid syntax fixtures");
        assertTrue(invalid().count() >= 15, "invalid syntax fixtures");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validFileParses(Path file) {
        ModuleParser.Parsed parsed = parser.parse(Fixtures.bytes(file), Fixtures.display(file));
        assertNull(parsed.problem(), () -> file + ": " + parsed.problem());
        assertNotNull(parsed.module());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidFileFailsOnTheLinePythonReports(Path file) {
        String first = new String(Fixtures.bytes(file), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        Matcher m = EXPECTED.matcher(first);
        assertTrue(m.find(), file + " must start with `# error: LINE:COLUMN`");
        ModuleParser.Parsed parsed = parser.parse(Fixtures.bytes(file), Fixtures.display(file));
        assertFalse(parsed.ok(), file + " must be rejected");
        assertEquals(SyntaxProblem.SYNTAX_ERROR, parsed.problem().rule());
        assertEquals(Integer.parseInt(m.group(1)), parsed.problem().line(), () -> file + ": " + parsed.problem());
    }

    @Test
    void pythonTwoLeftoversGetPythonsOwnAdvice() {
        assertMessage("fixtures/python/invalid/py2_print_statement.py", "Missing parentheses in call to 'print'");
        assertMessage("fixtures/python/invalid/py2_exec_statement.py", "Missing parentheses in call to 'exec'");
        assertMessage("fixtures/python/invalid/py2_octal_literal.py", "use an 0o prefix");
        assertMessage("fixtures/python/invalid/py2_long_literal.py", "invalid decimal literal");
        assertMessage("fixtures/python/invalid/py2_diamond_operator.py", "use '!='");
        assertMessage("fixtures/python/invalid/unclosed_parenthesis.py", "'(' was never closed");
        assertMessage("fixtures/python/invalid/unterminated_triple_string.py", "unterminated triple-quoted string");
        assertMessage("fixtures/python/invalid/missing_block.py", "expected an indented block");
    }

    private void assertMessage(String path, String expected) {
        ModuleParser.Parsed parsed = parser.parse(Fixtures.bytes(Path.of(path)), path);
        assertFalse(parsed.ok(), path);
        assertTrue(parsed.problem().message().contains(expected), () -> path + ": " + parsed.problem().message());
    }
}
