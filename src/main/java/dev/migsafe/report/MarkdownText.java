package dev.migsafe.report;

/** Text of findings made safe for Markdown (GitHub's and GitLab's flavours). */
public final class MarkdownText {

    /** Characters that would start emphasis, strike-through or an HTML tag in prose. */
    private static final String SPECIAL = "\\*_~<";

    private MarkdownText() {}

    /** Inline code that survives backticks in the text (a longer fence than any run inside). */
    public static String code(String s) {
        String fence = "`";
        while (s.contains(fence)) {
            fence += "`";
        }
        return fence + (s.startsWith("`") || s.endsWith("`") ? " " + s + " " : s) + fence;
    }

    /** A table cell: a `|` would end it, a line break would end the row. */
    public static String cell(String s) {
        return inline(s).replace("|", "\\|");
    }

    /**
     * Prose from a finding on one line: outside code spans, markup characters are escaped
     * (`__init__` would turn bold, `<name>` be dropped as an HTML tag); inside them, text is
     * literal already.
     */
    public static String text(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '`') {
                int run = i;
                while (run < s.length() && s.charAt(run) == '`') {
                    run++;
                }
                String fence = s.substring(i, run);
                int close = s.indexOf(fence, run);
                if (close >= 0) {
                    sb.append(s, i, close + fence.length());
                    i = close + fence.length();
                    continue;
                }
                sb.append(fence.replace("`", "\\`")); // no closing run: literal backticks
                i = run;
                continue;
            }
            char c = s.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
            i++;
        }
        return inline(sb.toString());
    }

    /** Text on one line of a list item (a blank line would end it). */
    public static String inline(String s) {
        return s.replace("\r", "").replace("\n", "<br>");
    }
}
