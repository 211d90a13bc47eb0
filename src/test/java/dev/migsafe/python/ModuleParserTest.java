package dev.migsafe.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migsafe.Fixtures;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Layout, literals, encodings and limits: the parts of parsing a unit test can pin exactly. */
class ModuleParserTest {

    private final ModuleParser parser = new ModuleParser();

    private Module parse(String source) {
        ModuleParser.Parsed parsed = parser.parse(source.getBytes(StandardCharsets.UTF_8), "test.py");
        assertTrue(parsed.ok(), () -> String.valueOf(parsed.problem()));
        return parsed.module();
    }

    private Expr value(String source) {
        Stmt.Assign a = (Stmt.Assign) parse(source).body().get(0);
        return a.value();
    }

    @Test
    void stringPrefixesEscapesAndConcatenation() {
        assertEquals(new Expr.Str(((Expr.Str) value("x = 'a\\tb' \"c\"\n")).pos(), "a\tbc", false), value("x = 'a\\tb' \"c\"\n"));
        assertEquals("a\\tb", ((Expr.Str) value("x = r'a\\tb'\n")).value());
        assertTrue(((Expr.Str) value("x = b'ab'\n")).bytes());
        assertEquals("é", ((Expr.Str) value("x = '\\N{LATIN SMALL LETTER E WITH ACUTE}'\n")).value());
        assertEquals("line1\nline2", ((Expr.Str) value("x = '''line1\nline2'''\n")).value());
        assertEquals("ab", ((Expr.Str) value("x = ('a'\n     'b')\n")).value());
    }

    @Test
    void fStringsWithNestedQuotesAreOneOpaqueToken() {
        assertInstanceOf(Expr.FString.class, value("x = f\"{d[\"k\"]:>{w}} {y!r} {{}}\"\n"));
        assertInstanceOf(Expr.FString.class, value("x = f'{f'{1}'}'\n"));
        assertInstanceOf(Expr.FString.class, value("x = 'a' f'{b}'\n"));
        assertInstanceOf(Expr.FString.class, value("x = rf'\\{{{1+1}'\n"));
    }

    @Test
    void numbers() {
        assertEquals(255, ((Expr.Int) value("x = 0xff\n")).value().intValue());
        assertEquals(1000000, ((Expr.Int) value("x = 1_000_000\n")).value().intValue());
        assertEquals(0.5, ((Expr.Float) value("x = .5\n")).value());
        assertInstanceOf(Expr.Imaginary.class, value("x = 1e10j\n"));
    }

    @Test
    void positionsAreOneBasedAndCountCharacters() {
        Stmt.Assign a = (Stmt.Assign) parse("# é\nvalue = 'é' + call(1)\n").body().get(0);
        Expr.BinOp sum = (Expr.BinOp) a.value();
        assertEquals(2, sum.right().pos().line());
        assertEquals(15, sum.right().pos().column());
    }

    @Test
    void crlfTabsAndMissingFinalNewline() {
        Module m = parse("if x:\r\n\tif y:\r\n\t\tz = 1\r\n\tw = 2");
        Stmt.If outer = (Stmt.If) m.body().get(0);
        assertEquals(2, outer.body().size());
    }

    @Test
    void commentsAreKeptWithPositions() {
        Module m = parse("x = [  # migsafe: ignore[C102] reason\n  1,\n]\n");
        assertEquals(1, m.comments().size());
        assertEquals(8, m.comments().get(0).column());
        assertTrue(m.comments().get(0).text().startsWith("# migsafe"));
    }

    @Test
    void latin1CodingLineIsHonoured() {
        Module m = parser.parse(Fixtures.bytes(Path.of("fixtures/python/valid/latin1_coding.py")), "latin1.py").module();
        assertTrue(m.source().contains("café"), "decoded with the declared charset");
    }

    @Test
    void unknownCodingAndBadUtf8AreSyntaxErrors() {
        ModuleParser.Parsed unknown = parser.parse("# coding: klingon\nx = 1\n".getBytes(StandardCharsets.UTF_8), "a.py");
        assertEquals("P001", unknown.problem().rule());
        assertTrue(unknown.problem().message().contains("unknown encoding"));
        ModuleParser.Parsed bad = parser.parse(new byte[] {'x', '=', '\'', (byte) 0xff, '\'', '\n'}, "b.py");
        assertEquals("P001", bad.problem().rule());
        assertTrue(bad.problem().message().contains("can't decode"));
    }

    @Test
    void oversizedFileIsP005() {
        ModuleParser small = new ModuleParser(100);
        ModuleParser.Parsed parsed = small.parse(new byte[101], "big.py");
        assertEquals("P005", parsed.problem().rule());
    }

    @Test
    void ordinaryDeepNestingParsesOnTheBigStack() throws Exception {
        String source = "x = " + "[".repeat(200) + "1" + "]".repeat(200) + "\n";
        ModuleParser.Parsed parsed = BigStack.call(() -> new ModuleParser().parse(source.getBytes(StandardCharsets.UTF_8), "d.py"));
        assertTrue(parsed.ok(), () -> String.valueOf(parsed.problem()));
    }

    @Test
    void softKeywordsAreNamesOutsideTheirStatements() {
        Module m = parse("match = 1\ntype = 2\nmatch(x)\nmatch x:\n    case 1:\n        pass\ntype A = int\n");
        assertEquals(5, m.body().size());
        assertInstanceOf(Stmt.Other.class, m.body().get(3));
        assertEquals("Match", ((Stmt.Other) m.body().get(3)).kind());
    }

    @Test
    void nestingBeyondPythonsOwnLimitsIsP005() {
        ModuleParser.Parsed brackets = parser.parse(("x = " + "[".repeat(201) + "]".repeat(201) + "\n")
                .getBytes(StandardCharsets.UTF_8), "b.py");
        assertEquals("P005", brackets.problem().rule());
        assertTrue(brackets.problem().message().contains("too many nested parentheses"));
        StringBuilder blocks = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            blocks.append(" ".repeat(i)).append("if x:\n");
        }
        blocks.append(" ".repeat(101)).append("pass\n");
        ModuleParser.Parsed indents = parser.parse(blocks.toString().getBytes(StandardCharsets.UTF_8), "i.py");
        assertEquals("P005", indents.problem().rule());
    }

    @Test
    void deepUnaryChainsEndInP005NotACrash() {
        String source = "x = " + "-".repeat(300_000) + "1\n";
        ModuleParser.Parsed parsed = parser.parse(source.getBytes(StandardCharsets.UTF_8), "u.py");
        assertEquals("P005", parsed.problem().rule());
    }
}
