package dev.migsafe.report;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Text from analysed files made safe to show: the files are untrusted (a pull request's), and a
 * control character in a string, a name or a path would otherwise reach the reader's terminal or
 * log viewer as is. An ESC starts a terminal sequence (retitle the window, move the cursor,
 * erase what was printed, hide text); C1 controls do the same on terminals that read them; the
 * bidirectional formatting characters reorder what is shown, so that text reads other than it
 * is ("Trojan Source"); line and paragraph separators break lines in some viewers.
 *
 * <p>Each such character is written as {@code \\uXXXX}: readable, what the file would have to
 * say to mean it in Python, and a valid escape inside a JSON string, so the same filter can sit
 * under every format (a JSON document keeps its meaning: Jackson escapes C0 controls itself and
 * leaves the others raw, and they only ever occur inside strings). Line feed and tab are kept:
 * every format needs its line breaks, and neither moves the cursor anywhere a reader would not
 * expect. Backslashes are left alone, so a file that spells {@code \\u001b} literally reads the
 * same as one with the character: ambiguous, never unsafe.
 */
public final class Printable {

    private Printable() {}

    /** Whether a character must not reach a terminal as is. */
    public static boolean unsafe(char c) {
        if (c < 0x20) {
            return c != '\n' && c != '\t';
        }
        if (c < 0x7f) {
            return false;
        }
        return c <= 0x9f // DEL and C1
                || c == 0x061c || c == 0x200e || c == 0x200f // Arabic letter mark, left-to-right and right-to-left marks
                || (c >= 0x202a && c <= 0x202e) // embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069) // isolates
                || c == 0x2028 || c == 0x2029; // line and paragraph separators
    }

    /** The text with every unsafe character written as {@code \\uXXXX}; the same string when there is none. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int first = firstUnsafe(s, 0, s.length());
        if (first < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        sb.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            appendShown(sb, s.charAt(i));
        }
        return sb.toString();
    }

    /** A writer that escapes what goes through it (see {@link #escape}). */
    public static Writer writer(Writer target) {
        return new EscapingWriter(target);
    }

    private static int firstUnsafe(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (unsafe(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void appendShown(StringBuilder sb, char c) {
        if (unsafe(c)) {
            sb.append("\\u");
            String hex = Integer.toHexString(c);
            for (int pad = hex.length(); pad < 4; pad++) {
                sb.append('0');
            }
            sb.append(hex);
        } else {
            sb.append(c);
        }
    }

    /** Escapes per write; runs of safe text go through in one call. */
    private static final class EscapingWriter extends FilterWriter {

        EscapingWriter(Writer target) {
            super(target);
        }

        @Override
        public void write(int c) throws IOException {
            if (unsafe((char) c)) {
                StringBuilder sb = new StringBuilder(6);
                appendShown(sb, (char) c);
                out.write(sb.toString());
            } else {
                out.write(c);
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            write(new String(cbuf, off, len));
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            int end = off + len;
            int start = off;
            int bad;
            while ((bad = firstUnsafe(str, start, end)) >= 0) {
                out.write(str, start, bad - start);
                StringBuilder sb = new StringBuilder(6);
                appendShown(sb, str.charAt(bad));
                out.write(sb.toString());
                start = bad + 1;
            }
            out.write(str, start, end - start);
        }

        @Override
        public void write(String str) throws IOException {
            write(str, 0, str.length());
        }
    }
}
