package dev.migsafe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a hook file is one `hook install` wrote, and so may be replaced without --force: its
 * whole text must be what {@link HookScripts} writes for that hook and some launcher (another
 * migsafe install, another path). The marker line alone is not enough: a hand-written hook
 * may mention it, or be ours with lines the user added, and those are the user's work.
 */
final class OwnHook {

    /** Far more than any hook we write (a launcher's class path included); a larger file is not ours. */
    private static final long MAX_BYTES = 1 << 20;

    private OwnHook() {}

    /** Whether {@code file} is a regular file (not a link) holding exactly a hook we would write as {@code name}. */
    static boolean isOurs(Path file, String name) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                return false;
            }
            return isOurs(Files.readString(file, StandardCharsets.ISO_8859_1), name);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code text} is what HookScripts writes as {@code name} for some launcher. The
     * launcher's words are taken from the text (each line's run of single-quoted words is a
     * candidate, and so is every shorter start of it), and the hook is written again with them:
     * only an exact match is ours.
     */
    static boolean isOurs(String text, String name) {
        String[] lines = text.split("\n", -1);
        String[] shape = HookScripts.script(name, List.of("migsafe")).split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(shape[0]) || !lines[1].equals(shape[1])) {
            return false;
        }
        for (int i = 2; i < lines.length; i++) {
            List<String> words = quotedWords(lines[i]);
            for (int n = words.size(); n > 0; n--) {
                List<String> launcher = words.subList(0, n);
                if (HookScripts.script(name, launcher).equals(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The run of sh words in single quotes (as HookScripts.quote writes them, with each ' as
     * '\'') that starts at the line's first quote and goes on while words follow each other
     * after one space.
     */
    static List<String> quotedWords(String line) {
        List<String> words = new ArrayList<>();
        int at = line.indexOf('\'');
        while (at >= 0 && at < line.length() && line.charAt(at) == '\'') {
            StringBuilder word = new StringBuilder();
            while (at < line.length()) {
                if (line.charAt(at) == '\'') {
                    int close = line.indexOf('\'', at + 1);
                    if (close < 0) {
                        return words;
                    }
                    word.append(line, at + 1, close);
                    at = close + 1;
                } else if (line.startsWith("\\'", at)) {
                    word.append('\'');
                    at += 2;
                } else {
                    break;
                }
            }
            words.add(word.toString());
            if (line.startsWith(" '", at)) {
                at++;
            } else {
                break;
            }
        }
        return words;
    }
}
