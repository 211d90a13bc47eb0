package dev.migsafe.rules.suppress;

import dev.migsafe.python.ast.Module;
import dev.migsafe.rules.RuleCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code # migsafe: ignore[...]} or {@code # migsafe: ignore-file[...]} comment (docs/suppressions.md).
 * {@code target} is the line a line directive covers: its own line when it trails code, else the
 * first line after the block of comment-only lines it stands in (the statement below it); 0
 * for ignore-file. {@code unknown} lists ids that are no rule; {@code problem} says why a comment
 * that starts like a directive is none (it then suppresses nothing and is reported as X002).
 */
record Directive(int line, int column, boolean fileWide, List<String> ids, List<String> unknown, String reason,
                 int target, String problem) {

    /** `migsafe:` after a `#`; `migsafe-test:` and other words are not directives. */
    private static final Pattern START = Pattern.compile("#\\s*migsafe\\s*:\\s*(ignore(?:-file)?)\\b(.*)$");
    private static final Pattern IDS = Pattern.compile("^\\s*\\[([^\\]]*)\\](.*)$");
    /** A chained pragma (`# noqa`, `# type: ignore`) ends the reason; `#123` inside it does not. */
    private static final Pattern NEXT_PRAGMA = Pattern.compile("\\s#\\s");

    boolean malformed() {
        return problem != null;
    }

    boolean hasReason() {
        return !reason.isEmpty();
    }

    /** Every directive among a module's comments. */
    static List<Directive> read(Module module) {
        String[] lines = module.source().split("\r\n|\r|\n", -1);
        List<Directive> out = new ArrayList<>();
        for (Module.Comment c : module.comments()) {
            Directive d = parse(c, lines);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    static Directive parse(Module.Comment c, String[] lines) {
        Matcher m = START.matcher(c.text());
        if (!m.find()) {
            return null;
        }
        boolean fileWide = m.group(1).equals("ignore-file");
        int target = fileWide ? 0 : target(c, lines);
        Matcher ids = IDS.matcher(m.group(2));
        if (!ids.matches()) {
            return new Directive(c.line(), c.column(), fileWide, List.of(), List.of(), "", target,
                    "`# migsafe: " + m.group(1) + "` must name the rules it suppresses, e.g. `# migsafe: "
                            + m.group(1) + "[C102] reason` (there is no blanket ignore)");
        }
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids.group(1).split("[,\\s]+")) {
            String rule = id.strip().toUpperCase(Locale.ROOT);
            if (rule.isEmpty()) {
                continue;
            }
            (RuleCatalog.byId(rule) != null ? known : unknown).add(rule);
        }
        String reason = reason(ids.group(2));
        if (known.isEmpty() && unknown.isEmpty()) {
            return new Directive(c.line(), c.column(), fileWide, List.of(), List.of(), reason, target,
                    "`# migsafe: " + m.group(1) + "[]` names no rule");
        }
        return new Directive(c.line(), c.column(), fileWide, List.copyOf(known), List.copyOf(unknown), reason, target,
                null);
    }

    /** The text after `]`, without a leading separator or a chained pragma. */
    private static String reason(String rest) {
        Matcher next = NEXT_PRAGMA.matcher(rest);
        String r = next.find() ? rest.substring(0, next.start()) : rest;
        return r.strip().replaceFirst("^[:\\-\u2013\u2014]+", "").strip();
    }

    /** The line a line directive covers (lines are 1-based; {@code lines} 0-based). */
    private static int target(Module.Comment c, String[] lines) {
        if (!commentOnly(lines, c.line(), c.column())) {
            return c.line();
        }
        int l = c.line() + 1;
        while (l <= lines.length && lines[l - 1].stripLeading().startsWith("#")) {
            l++;
        }
        return l;
    }

    private static boolean commentOnly(String[] lines, int line, int column) {
        if (line < 1 || line > lines.length) {
            return false;
        }
        String text = lines[line - 1];
        return text.substring(0, Math.min(Math.max(column - 1, 0), text.length())).isBlank();
    }
}
