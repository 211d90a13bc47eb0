package dev.migsafe.deployed;

import dev.migsafe.git.SourceFile;
import dev.migsafe.git.UnreadableFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of the deployed code that run in production: Python modules and templates, without
 * migrations and tests (test code never runs beside the new schema). Their text is read when a
 * finding first asks (and kept, up to a budget), and searched for a word before anything is parsed.
 */
final class CodeFiles {

    private final Map<String, SourceFile> files;
    private final Map<String, String> text = new HashMap<>();
    private List<String> paths;

    CodeFiles(Map<String, SourceFile> files) {
        this.files = files;
    }

    /** Paths of production files, sorted. */
    List<String> paths() {
        if (paths == null) {
            List<String> out = new ArrayList<>();
            for (String p : files.keySet()) {
                if (!isTestOrMigration(p)) {
                    out.add(p);
                }
            }
            java.util.Collections.sort(out);
            paths = out;
        }
        return paths;
    }

    static boolean isTestOrMigration(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        return lower.contains("/migrations/") || lower.startsWith("migrations/") || lower.contains("/tests/")
                || lower.startsWith("tests/") || lower.contains("/test/") || name.startsWith("test_")
                || name.endsWith("_test.py") || name.endsWith("_tests.py") || name.equals("tests.py")
                || name.equals("conftest.py");
    }

    /** A file this large is generated or vendored, not code a reviewer reads: no evidence is taken from it. */
    static final int MAX_FILE_BYTES = 2 << 20;

    /** Texts kept for later findings, in characters: a huge project re-reads files instead of filling the heap. */
    static final long CACHE_CHARS = 32L << 20;

    private long cached;

    /** The file's text, or null when it cannot be read (missing from a partial clone) or is over {@link #MAX_FILE_BYTES}. */
    String text(String path) {
        if (text.containsKey(path)) {
            return text.get(path);
        }
        String out = null;
        SourceFile f = files.get(path);
        if (f != null) {
            try {
                byte[] bytes = f.bytes();
                out = bytes.length > MAX_FILE_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
            } catch (UnreadableFile | dev.migsafe.git.LocalFile.Unreadable e) {
                out = null;
            }
        }
        if (out == null || cached + out.length() <= CACHE_CHARS) {
            text.put(path, out);
            cached += out == null ? 0 : out.length();
        }
        return out;
    }

    /** Whether {@code word} occurs in the text as a whole identifier. */
    static boolean hasWord(String text, String word) {
        return find(text, word, false);
    }

    /**
     * Whether a field name occurs as a word, or as the start of a lookup ({@code note__icontains})
     * or of its column ({@code customer_id}): what a file must hold to use the field.
     */
    static boolean hasField(String text, String field) {
        return find(text, field, true);
    }

    private static boolean find(String text, String word, boolean lookups) {
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            int end = i + word.length();
            boolean start = i == 0 || !isIdent(text.charAt(i - 1));
            boolean stop = end >= text.length() || !isIdent(text.charAt(end)) || lookups && (text.startsWith("__", end)
                    || text.startsWith("_id", end) && (end + 3 >= text.length() || !isIdent(text.charAt(end + 3))));
            if (start && stop) {
                return true;
            }
        }
        return false;
    }

    /** Comments and triple-quoted strings (docstrings): prose, not code. */
    private static final java.util.regex.Pattern PROSE =
            java.util.regex.Pattern.compile("(?s)\"\"\".*?\"\"\"|'''.*?'''|#[^\n]*");

    /** Python source without comments and triple-quoted strings (docstrings), line numbers kept. */
    static String withoutProse(String text) {
        java.util.regex.Matcher m = PROSE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group().replaceAll("[^\n]", " ")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    SourceFile source(String path) {
        return files.get(path);
    }
}
