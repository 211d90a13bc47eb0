package dev.migsafe.python;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes a Python source file as CPython does: a UTF-8 byte order mark means UTF-8; otherwise a
 * PEP 263 coding declaration on line 1 or 2 names the charset; otherwise UTF-8. Bytes the charset
 * cannot decode are an error, never silently replaced.
 */
public final class SourceDecoder {

    /** The decoded text, or the problem that prevented decoding. */
    public record Decoded(String text, SyntaxProblem problem) {}

    private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

    private SourceDecoder() {}

    public static Decoded decode(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return new Decoded(null, SyntaxProblem.syntax(lineOf(bytes, i), 1, "source code cannot contain null bytes"));
            }
        }
        int offset = 0;
        Charset charset = StandardCharsets.UTF_8;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            offset = 3;
            String declared = declaredCoding(java.util.Arrays.copyOfRange(bytes, 3, bytes.length));
            if (declared != null && charsetFor(declared) != StandardCharsets.UTF_8) {
                return new Decoded(null, SyntaxProblem.syntax(codingLine(java.util.Arrays.copyOfRange(bytes, 3, bytes.length)), 1,
                        "encoding problem: " + declared + " with BOM"));
            }
        } else {
            String declared = declaredCoding(bytes);
            if (declared != null) {
                charset = charsetFor(declared);
                if (charset == null) {
                    return new Decoded(null, SyntaxProblem.syntax(codingLine(bytes), 1, "unknown encoding: " + declared));
                }
            }
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        try {
            // A lone CR ends a line as it does for CPython; ANTLR counts only LF, so it becomes LF
            // (same length: every offset and column stays as it was).
            return new Decoded(loneCrToLf(decoder.decode(in).toString()), null);
        } catch (CharacterCodingException e) {
            int bad = in.position();
            return new Decoded(null, SyntaxProblem.syntax(lineOf(bytes, bad), 1,
                    "(unicode error) '" + charset.name().toLowerCase(Locale.ROOT)
                            + "' codec can't decode byte 0x" + String.format("%02x", bytes[Math.min(bad, bytes.length - 1)] & 0xff)
                            + " in position " + (bad - offset)));
        }
    }

    private static String loneCrToLf(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == '\r' && (i + 1 == chars.length || chars[i + 1] != '\n')) {
                chars[i] = '\n';
            }
        }
        return new String(chars);
    }

    /** The coding declared on line 1 or 2, or null. Only ASCII matters for the declaration. */
    private static String declaredCoding(byte[] bytes) {
        int start = 0;
        for (int line = 0; line < 2 && start < bytes.length; line++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            String text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
            Matcher m = CODING.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            // PEP 263: the second line counts only when the first is a comment or blank.
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                return null;
            }
            start = end + (end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
        return null;
    }

    private static int codingLine(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.ISO_8859_1);
        Matcher m = CODING.matcher(head.split("\\r?\\n|\\r", 2)[0]);
        return m.find() ? 1 : 2;
    }

    /** Maps Python's codec names to Java charsets; null when unknown. */
    static Charset charsetFor(String pythonName) {
        String name = pythonName.toLowerCase(Locale.ROOT).replace('_', '-');
        if (name.startsWith("utf-8") || name.equals("utf8")) {
            return StandardCharsets.UTF_8; // also "utf-8-unix", "utf-8-sig" and editors' variants
        }
        if (name.equals("latin-1") || name.equals("latin1") || name.equals("l1") || name.startsWith("iso-8859-1-")) {
            return StandardCharsets.ISO_8859_1;
        }
        if (name.equals("ascii") || name.equals("us-ascii")) {
            return StandardCharsets.US_ASCII;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
