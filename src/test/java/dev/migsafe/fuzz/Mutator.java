package dev.migsafe.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns one source file into a damaged one, deterministically: the same bytes, donor and random
 * stream give the same mutant. Operators work on bytes (text is taken as ISO-8859-1, which maps
 * every byte to one character and back, so invalid UTF-8 survives every edit untouched).
 *
 * <p>Small operators (deletions, duplications, byte noise, truncation, brackets, indentation,
 * line endings, splices) model a damaged or half-edited file; two keep the syntax and change the
 * values rules read (a literal swapped for a value of another kind, an argument dropped), which
 * is what reaches the rules most often; the structural ones (an operation
 * repeated thousands of times, deep nesting, a very long string, a value that asks for an
 * enormous result) model a hostile one. A mutant gets one to three operators, at most one
 * structural, so that its size stays within what a batch of forty can hold in memory.
 */
public final class Mutator {

    /** Every operator; {@link #structural} ones may make a file large or deep. */
    public enum Op {
        DELETE_LINES, DELETE_BYTES, DUPLICATE_LINES, DUPLICATE_BYTES, BYTE_NOISE, TRUNCATE,
        BRACKET_SWAP, BRACKET_REMOVE, BRACKET_ADD, INDENT_NOISE, LINE_ENDINGS, SPLICE, LITERAL_SWAP, ARGUMENT_DROP,
        REPEAT_OPERATION, DEEP_NESTING, LONG_STRING, VALUE_BOMB;

        boolean structural() {
            return this == REPEAT_OPERATION || this == DEEP_NESTING || this == LONG_STRING || this == VALUE_BOMB;
        }
    }

    /** Relative weights when an operator is drawn (structural ones are rarer: they cost more). */
    private static final int[] WEIGHTS = {10, 8, 8, 6, 12, 8, 8, 6, 6, 5, 3, 6, 14, 8, 4, 5, 3, 3};

    /** Just over the parser's 16 MB limit: such a file must be refused with P005, not read. */
    static final int OVER_LIMIT = 16 * 1024 * 1024 + 4096;

    /**
     * @param bytes the mutated file
     * @param ops the operators applied, in order, each with what it chose ("DEEP_NESTING(brackets,5000)")
     */
    public record Mutant(byte[] bytes, List<String> ops) {
        public String describe() {
            return String.join(" + ", ops);
        }
    }

    /**
     * How large structural operators may go. FULL is the fuzz run's; LIGHT (the normal test
     * suite's) clamps their sizes to at most 1,000 repetitions, 1,000 levels and 100 KB, so that
     * the suite stays quick. A light mutant has the source of the full one and its operators up
     * to the first structural one; what follows may differ (a clamped operator draws less, and
     * later positions are drawn in a file of another length).
     */
    public enum Scale { FULL, LIGHT }

    private final SplittableRandom r;
    private final Scale scale;

    private Mutator(SplittableRandom r, Scale scale) {
        this.r = r;
        this.scale = scale;
    }

    /** The mutant of source for one random stream, at full scale; donor feeds {@link Op#SPLICE}. */
    public static Mutant mutate(byte[] source, byte[] donor, SplittableRandom random) {
        return mutate(source, donor, random, Scale.FULL);
    }

    public static Mutant mutate(byte[] source, byte[] donor, SplittableRandom random, Scale scale) {
        Mutator m = new Mutator(random, scale);
        int count = m.pick(new int[] {60, 30, 10}) + 1;
        byte[] bytes = source;
        List<String> ops = new ArrayList<>();
        boolean structuralUsed = false;
        for (int i = 0; i < count; i++) {
            Op op = Op.values()[m.pick(WEIGHTS)];
            while (op.structural() && structuralUsed) {
                op = Op.values()[m.pick(WEIGHTS)];
            }
            structuralUsed |= op.structural();
            StringBuilder detail = new StringBuilder(op.name());
            bytes = m.apply(op, bytes, donor, detail);
            ops.add(detail.toString());
        }
        if (java.util.Arrays.equals(bytes, source)) {
            // An edit that changed nothing (a deletion of an empty file, equal noise): a mutant must differ.
            StringBuilder detail = new StringBuilder(Op.BYTE_NOISE.name());
            bytes = m.noise(bytes, detail);
            ops.add(detail.toString());
        }
        return new Mutant(bytes, List.copyOf(ops));
    }

    private byte[] apply(Op op, byte[] b, byte[] donor, StringBuilder detail) {
        switch (op) {
            case DELETE_LINES: return deleteLines(b, detail);
            case DELETE_BYTES: return deleteBytes(b, detail);
            case DUPLICATE_LINES: return duplicateLines(b, detail);
            case DUPLICATE_BYTES: return duplicateBytes(b, detail);
            case BYTE_NOISE: return noise(b, detail);
            case TRUNCATE: return truncate(b, detail);
            case BRACKET_SWAP: return bracketSwap(b, detail);
            case BRACKET_REMOVE: return bracketRemove(b, detail);
            case BRACKET_ADD: return bracketAdd(b, detail);
            case INDENT_NOISE: return indentNoise(b, detail);
            case LINE_ENDINGS: return lineEndings(b, detail);
            case SPLICE: return splice(b, donor, detail);
            case LITERAL_SWAP: return literalSwap(b, detail);
            case ARGUMENT_DROP: return argumentDrop(b, detail);
            case REPEAT_OPERATION: return repeatOperation(b, detail);
            case DEEP_NESTING: return deepNesting(b, detail);
            case LONG_STRING: return longString(b, detail);
            case VALUE_BOMB: return valueBomb(b, detail);
            default: throw new IllegalStateException(op.name());
        }
    }

    // --- small operators ---------------------------------------------------------------------

    private byte[] deleteLines(byte[] b, StringBuilder detail) {
        int[] starts = lineStarts(b);
        int lines = starts.length - 1;
        if (lines == 0) {
            return b;
        }
        int first = r.nextInt(lines);
        int count = Math.min(lines - first, spanLength(8));
        detail.append('(').append(first + 1).append(',').append(count).append(')');
        return replace(b, starts[first], starts[first + count], new byte[0]);
    }

    private byte[] deleteBytes(byte[] b, StringBuilder detail) {
        if (b.length == 0) {
            return b;
        }
        int from = r.nextInt(b.length);
        int to = Math.min(b.length, from + spanLength(64));
        detail.append('@').append(from).append('+').append(to - from);
        return replace(b, from, to, new byte[0]);
    }

    private byte[] duplicateLines(byte[] b, StringBuilder detail) {
        int[] starts = lineStarts(b);
        int lines = starts.length - 1;
        if (lines == 0) {
            return b;
        }
        int first = r.nextInt(lines);
        int count = Math.min(lines - first, spanLength(8));
        byte[] span = slice(b, starts[first], starts[first + count]);
        // Right after itself half the time (a doubled paste), else anywhere at a line start.
        int at = r.nextBoolean() ? starts[first + count] : starts[r.nextInt(starts.length)];
        detail.append('(').append(first + 1).append(',').append(count).append("->@").append(at).append(')');
        return replace(b, at, at, span);
    }

    private byte[] duplicateBytes(byte[] b, StringBuilder detail) {
        if (b.length == 0) {
            return b;
        }
        int from = r.nextInt(b.length);
        int to = Math.min(b.length, from + spanLength(64));
        int at = r.nextInt(b.length + 1);
        detail.append('@').append(from).append('+').append(to - from).append("->@").append(at);
        return replace(b, at, at, slice(b, from, to));
    }

    /** Byte sequences that trouble decoders and terminals, and plain characters. */
    private static final byte[][] NOISE = {
        {0}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, // NUL, stray and overlong
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},                                     // a UTF-16 surrogate
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},                        // past U+10FFFF
        {(byte) 0xE2, (byte) 0x82},                                                  // a cut sequence
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},                                     // a BOM mid-file
        {(byte) 0xE2, (byte) 0x80, (byte) 0xA8},                                     // U+2028
        {(byte) 0xC3, (byte) 0xA9},                                                  // é
        {0x1B, '[', '2', 'J'}, {0x1B, ']', '0', ';', 'x', 0x07},                     // terminal escapes
        {'\r'}, {0x0C}, {0x0B}, {0x7F}, {'\t'}, {'\\'}, {'"'}, {'\''}, {'#'}, {':'}, {'='}, {','},
        {'"', '"', '"'}, {'f', '"'}, {'b', '\''}, {'@'}, {';'}, {'\n'},
    };

    private byte[] noise(byte[] b, StringBuilder detail) {
        int edits = 1 + r.nextInt(8);
        detail.append('(').append(edits).append(')');
        for (int i = 0; i < edits; i++) {
            byte[] token;
            int kind = r.nextInt(4);
            if (kind == 0) {
                token = new byte[] {(byte) r.nextInt(256)}; // any byte at all
            } else if (kind == 1) {
                token = new byte[] {(byte) r.nextInt(32)}; // a control character
            } else {
                token = NOISE[r.nextInt(NOISE.length)];
            }
            int at = r.nextInt(b.length + 1);
            boolean overwrite = at < b.length && r.nextBoolean();
            b = replace(b, at, overwrite ? Math.min(b.length, at + token.length) : at, token);
        }
        return b;
    }

    private byte[] truncate(byte[] b, StringBuilder detail) {
        int at = b.length == 0 ? 0 : r.nextInt(b.length);
        detail.append('@').append(at);
        return slice(b, 0, at);
    }

    private static final byte[] BRACKETS = "()[]{}".getBytes(StandardCharsets.ISO_8859_1);

    private byte[] bracketSwap(byte[] b, StringBuilder detail) {
        List<Integer> at = bracketPositions(b);
        if (at.isEmpty()) {
            return bracketAdd(b, detail);
        }
        int edits = 1 + r.nextInt(3);
        b = b.clone();
        for (int i = 0; i < edits; i++) {
            int p = at.get(r.nextInt(at.size()));
            b[p] = BRACKETS[r.nextInt(BRACKETS.length)];
            detail.append(i == 0 ? "@" : ",@").append(p);
        }
        return b;
    }

    private byte[] bracketRemove(byte[] b, StringBuilder detail) {
        List<Integer> at = bracketPositions(b);
        if (at.isEmpty()) {
            return b;
        }
        int p = at.get(r.nextInt(at.size()));
        detail.append('@').append(p);
        return replace(b, p, p + 1, new byte[0]);
    }

    private byte[] bracketAdd(byte[] b, StringBuilder detail) {
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int p = r.nextInt(b.length + 1);
            b = replace(b, p, p, new byte[] {BRACKETS[r.nextInt(BRACKETS.length)]});
            detail.append(i == 0 ? "@" : ",@").append(p);
        }
        return b;
    }

    private byte[] indentNoise(byte[] b, StringBuilder detail) {
        int[] starts = lineStarts(b);
        if (starts.length < 2) {
            return b;
        }
        int line = r.nextInt(starts.length - 1);
        int from = starts[line];
        int to = from;
        while (to < b.length && (b[to] == ' ' || b[to] == '\t')) {
            to++;
        }
        String[] indents = {"", " ", "  ", "\t", " \t", "\t ", "        ", "     ", " ".repeat(1 + r.nextInt(40)), "\f  "};
        String indent = indents[r.nextInt(indents.length)];
        detail.append('(').append(line + 1).append(')');
        return replace(b, from, to, indent.getBytes(StandardCharsets.ISO_8859_1));
    }

    private byte[] lineEndings(byte[] b, StringBuilder detail) {
        String[] endings = {"\r\n", "\r", "\n\r"};
        String ending = endings[r.nextInt(endings.length)];
        boolean all = r.nextBoolean();
        detail.append(all ? "(all," : "(some,").append(ending.replace("\r", "CR").replace("\n", "LF")).append(')');
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 8);
        for (byte c : b) {
            if (c == '\n' && (all || r.nextInt(3) == 0)) {
                out.writeBytes(ending.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private byte[] splice(byte[] b, byte[] donor, StringBuilder detail) {
        int[] starts = lineStarts(donor);
        if (starts.length < 2) {
            return b;
        }
        int first = r.nextInt(starts.length - 1);
        int count = Math.min(starts.length - 1 - first, spanLength(12));
        int[] here = lineStarts(b);
        int at = here[r.nextInt(here.length)];
        detail.append('(').append(first + 1).append(',').append(count).append("->@").append(at).append(')');
        return replace(b, at, at, slice(donor, starts[first], starts[first + count]));
    }

    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile(
            "\"[^\"\\\\\n]*\"|'[^'\\\\\n]*'|\\b\\d+(\\.\\d+)?\\b|\\b(True|False|None)\\b");

    /** Values of every kind a rule may meet where it expects a name, a number or a flag. */
    private static final String[] LITERALS = {
        "None", "True", "False", "0", "-1", "2 ** 64", "1.5", "1e400", "''", "\"\"", "'x' * 3", "b'shop'", "[]", "()", "{}",
        "{'a': 1}", "[None]", "name_for(x)", "undefined", "lambda: 1", "*args", "**kwargs", "models.CharField()", "...",
        "f'{x}'", "'shop.Order'", "'%s'", "'\\x00'", "'\\u202e'", "'a' 'b'", "x.y.z", "(1, 2)", "not None", "[*()]",
    };

    private byte[] literalSwap(byte[] b, StringBuilder detail) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = LITERAL.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return b;
        }
        int edits = 1 + r.nextInt(3);
        List<int[]> chosen = new ArrayList<>();
        for (int i = 0; i < edits; i++) {
            chosen.add(spans.get(r.nextInt(spans.size())));
        }
        chosen = chosen.stream().distinct().sorted((x, y) -> Integer.compare(y[0], x[0])).toList(); // from the end: offsets hold
        for (int[] span : chosen) {
            String value = LITERALS[r.nextInt(LITERALS.length)];
            detail.append(detail.indexOf("@") < 0 ? "@" : ",@").append(span[0]).append('=').append(value);
            b = replace(b, span[0], span[1], value.getBytes(StandardCharsets.ISO_8859_1));
        }
        return b;
    }

    private static final java.util.regex.Pattern ARGUMENT = java.util.regex.Pattern.compile("\\b[a-z_]+=");

    /** A keyword argument (or a positional one, after a call's parenthesis) removed up to its comma. */
    private byte[] argumentDrop(byte[] b, StringBuilder detail) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        List<Integer> starts = new ArrayList<>();
        java.util.regex.Matcher m = ARGUMENT.matcher(text);
        while (m.find()) {
            starts.add(m.start());
        }
        for (int i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) {
            starts.add(i + 1);
        }
        if (starts.isEmpty()) {
            return b;
        }
        int from = starts.get(r.nextInt(starts.size()));
        int depth = 0;
        int to = from;
        for (; to < text.length(); to++) {
            char c = text.charAt(to);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth-- == 0) {
                    break; // the end of the call: the last argument goes, without its comma
                }
            } else if (c == ',' && depth == 0) {
                to++;
                break;
            }
        }
        detail.append('@').append(from).append('+').append(to - from);
        return replace(b, from, to, new byte[0]);
    }

    // --- structural operators ----------------------------------------------------------------

    private byte[] repeatOperation(byte[] b, StringBuilder detail) {
        int[] starts = lineStarts(b);
        if (starts.length < 2) {
            return b;
        }
        String text = new String(b, StandardCharsets.ISO_8859_1);
        List<Integer> calls = new ArrayList<>();
        List<Integer> mentions = new ArrayList<>();
        for (int i = 0; i + 1 < starts.length; i++) {
            String line = text.substring(starts[i], starts[i + 1]);
            if (line.contains("migrations.")) {
                mentions.add(i);
                if (balanced(line) && line.strip().endsWith(",")) {
                    calls.add(i); // a whole operation on one line: the copies stay valid Python
                }
            }
        }
        List<Integer> pool = !calls.isEmpty() ? calls : !mentions.isEmpty() ? mentions : null;
        int line = pool != null ? pool.get(r.nextInt(pool.size())) : r.nextInt(starts.length - 1);
        int[] times = {10, 100, 1000, 5000, 20000, 60000};
        int n = light(times[pick(new int[] {10, 20, 30, 20, 15, 5})], 1000);
        byte[] copy = slice(b, starts[line], starts[line + 1]);
        if (copy.length == 0 || copy[copy.length - 1] != '\n') {
            copy = replace(copy, copy.length, copy.length, new byte[] {'\n'});
        }
        detail.append('(').append(line + 1).append(",x").append(n).append(pool == calls ? ",call" : "").append(')');
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + copy.length * n);
        out.write(b, 0, starts[line + 1]);
        for (int i = 0; i < n; i++) {
            out.writeBytes(copy);
        }
        out.write(b, starts[line + 1], b.length - starts[line + 1]);
        return out.toByteArray();
    }

    private byte[] deepNesting(byte[] b, StringBuilder detail) {
        int[] depths = {50, 150, 199, 200, 201, 1000, 5000, 50000};
        int depth = light(depths[r.nextInt(depths.length)], 1000);
        String[] kinds = {"brackets", "mixed", "unary", "not", "binary", "conditional", "lambda", "power", "calls",
            "attributes", "subscripts", "blocks", "fstring", "unclosed"};
        String kind = kinds[r.nextInt(kinds.length)];
        if (kind.equals("blocks") || kind.equals("fstring")) {
            depth = Math.min(depth, 2000); // each level is a line (or a quote): enough to pass any limit
        }
        String expr = nested(kind, depth);
        detail.append('(').append(kind).append(',').append(depth);
        if (kind.equals("blocks")) {
            detail.append(')');
            return insertAtLineStart(b, expr);
        }
        return insertValue(b, expr, detail);
    }

    private String nested(String kind, int depth) {
        StringBuilder s = new StringBuilder(depth * 4 + 64);
        switch (kind) {
            case "brackets":
                s.append("[".repeat(depth)).append("migrations.RunSQL('SELECT 1')").append("]".repeat(depth));
                break;
            case "mixed": {
                StringBuilder close = new StringBuilder();
                for (int i = 0; i < depth; i++) {
                    int k = r.nextInt(3);
                    s.append("([{".charAt(k));
                    close.append(")]}".charAt(k));
                }
                s.append('1').append(close.reverse());
                break;
            }
            case "unary": s.append("-".repeat(depth)).append('1'); break;
            case "not": s.append("not ".repeat(depth)).append("True"); break;
            case "binary": s.append("'SELECT 1' + ".repeat(depth)).append("''"); break;
            case "conditional": s.append("'a' if x else ".repeat(depth)).append("'b'"); break;
            case "lambda": s.append("lambda: ".repeat(depth)).append("None"); break;
            case "power": s.append("2 ** ".repeat(depth)).append('2'); break;
            case "calls": s.append("migrations.RunSQL").append("()".repeat(depth)); break;
            case "attributes": s.append("migrations").append(".x".repeat(depth)); break;
            case "subscripts": s.append("x").append("[0]".repeat(depth)); break;
            case "fstring": {
                // Quotes alternate the way Python 3.12 allows them to nest.
                for (int i = 0; i < depth; i++) {
                    s.append("f\"{");
                }
                s.append('1');
                for (int i = 0; i < depth; i++) {
                    s.append("}\"");
                }
                break;
            }
            case "blocks":
                for (int i = 0; i < depth; i++) {
                    s.append(" ".repeat(i)).append("if x:\n");
                }
                s.append(" ".repeat(depth)).append("pass\n");
                break;
            case "unclosed": s.append("(".repeat(depth)); break;
            default: throw new IllegalStateException(kind);
        }
        return s.toString();
    }

    private byte[] longString(byte[] b, StringBuilder detail) {
        int[] sizes = {10_000, 100_000, 1_000_000, 4_000_000, OVER_LIMIT};
        int size = light(sizes[pick(new int[] {30, 30, 25, 13, 2})], 100_000);
        String[] kinds = {"sql", "escapes", "unterminated", "triple", "comment", "identifier", "bytes", "line"};
        String kind = kinds[r.nextInt(kinds.length)];
        detail.append('(').append(kind).append(',').append(size);
        StringBuilder s = new StringBuilder(size + 64);
        switch (kind) {
            case "sql": s.append("migrations.RunSQL(\"").append("SELECT 1; ".repeat(size / 10)).append("\")"); break;
            case "escapes": s.append("'").append("\\x00\\u00e9\\n".repeat(size / 12)).append("'"); break;
            case "unterminated": s.append("\"").append("x".repeat(size)); break;
            case "triple": s.append("\"\"\"").append("line\n".repeat(size / 5)).append("\"\"\""); break;
            case "comment": s.append("1  # ").append("#".repeat(size)); break;
            case "identifier": s.append("a".repeat(size)); break;
            case "bytes": s.append("b'").append("\\xff".repeat(size / 4)).append("'"); break;
            case "line": s.append("1").append(" + 1".repeat(size / 4)); break;
            default: throw new IllegalStateException(kind);
        }
        return insertValue(b, s.toString(), detail);
    }

    /** Small source that asks for an enormous value: the evaluator must bound what it builds. */
    private byte[] valueBomb(byte[] b, StringBuilder detail) {
        String[] bombs = {
            "'x' * 10 ** 10", "[migrations.RunSQL('SELECT 1')] * 10 ** 9", "2 ** 2 ** 2 ** 2 ** 2 ** 2", "10 ** 10 ** 10",
            "9 ** 9 ** 9", "'%s' * 10 ** 8 % ()", "(1,) * 2 ** 62", "'ab' * -1", "1 / 0", "1 % 0", "10 ** -10 ** 10",
            "1 << 10 ** 10", "'{}'.format('x' * 10 ** 9)", "{'a': 1} | {'b': 2}", "[*range(10 ** 10)]", "1e308 * 10",
            "float('nan')", "-0.0", "10 ** 400", "0x" + "f".repeat(5000), "int('9' * 5000)",
        };
        String bomb = bombs[r.nextInt(bombs.length)];
        detail.append("(").append(bomb.length() > 40 ? bomb.substring(0, 40) + "..." : bomb);
        return insertValue(b, bomb, detail);
    }

    /**
     * Puts an expression where a migration reads values: as an element of the operations list, as
     * the SQL of a RunSQL, or as a module constant; the closing part of detail says which.
     */
    private byte[] insertValue(byte[] b, String expr, StringBuilder detail) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int where = r.nextInt(3);
        int ops = text.indexOf("operations = [");
        if (where == 0 && ops >= 0) {
            int at = ops + "operations = [".length();
            detail.append(",operations)");
            return replace(b, at, at, ("\n        " + expr + ",").getBytes(StandardCharsets.ISO_8859_1));
        }
        int sql = text.indexOf("RunSQL(");
        if (where == 1 && sql >= 0) {
            int at = sql + "RunSQL(".length();
            detail.append(",runsql)");
            return replace(b, at, at, (expr + ", ").getBytes(StandardCharsets.ISO_8859_1));
        }
        detail.append(",constant)");
        return insertAtLineStart(b, "BIG = " + expr + "\n");
    }

    private byte[] insertAtLineStart(byte[] b, String text) {
        int[] starts = lineStarts(b);
        int at = starts[r.nextInt(starts.length)];
        byte[] add = text.getBytes(StandardCharsets.ISO_8859_1);
        if (at > 0 && b[at - 1] != '\n') {
            add = ("\n" + text).getBytes(StandardCharsets.ISO_8859_1);
        }
        return replace(b, at, at, add);
    }

    private int light(int size, int cap) {
        return scale == Scale.LIGHT ? Math.min(size, cap) : size;
    }

    // --- helpers -----------------------------------------------------------------------------

    /** Index drawn with the given relative weights. */
    private int pick(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    /** 1..max, small lengths more often than large ones. */
    private int spanLength(int max) {
        return 1 + (int) Math.floor(Math.pow(r.nextDouble(), 2) * max);
    }

    /** Offsets where lines start, plus the length (so line i is [s[i], s[i+1])). */
    static int[] lineStarts(byte[] b) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && i + 1 < b.length) {
                starts.add(i + 1);
            }
        }
        if (b.length > 0) {
            starts.add(b.length);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Integer> bracketPositions(byte[] b) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}') {
                at.add(i);
            }
        }
        return at;
    }

    private static boolean balanced(String line) {
        int depth = 0;
        for (char c : line.toCharArray()) {
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] replace(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }
}
