package dev.migsafe.rules.suppress;

import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.rules.FindingPolicy;
import dev.migsafe.rules.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The suppressions written in the analysed files (docs/suppressions.md): `# migsafe: ignore[...]`
 * on a finding's line, its operation's first line or the line above; `# migsafe:
 * ignore-file[...]` anywhere in the file; and django-migration-linter's `IgnoreMigration()`,
 * which suppresses the compatibility (C) rules of its migration. A matched finding is kept,
 * marked suppressed with the reason. Once every finding has passed, the directives of the
 * analysed migrations that give no reason (X001) or suppress nothing (X002) are reported.
 */
public final class Suppressions implements FindingPolicy {

    public static final String LINTER_REASON = "django-migration-linter IgnoreMigration()";
    static final String NO_REASON = "no reason given (X001)";

    /** What one file says about its findings. */
    private record FileInfo(String app, String migration, List<Directive> directives, List<Integer> operationLines,
                            boolean linterIgnore) {}

    private final Map<String, MigrationGraph.LabeledFile> byPath = new HashMap<>();
    private final Map<String, FileInfo> files = new HashMap<>();
    private final Set<String> reported = new TreeSet<>();
    /** Per directive (by identity: two may be equal), the ids that matched a finding. */
    private final Map<Directive, Set<String>> used = new java.util.IdentityHashMap<>();

    private Suppressions() {}

    /**
     * @param head the snapshot whose files hold the comments
     * @param analysed the migrations whose findings were all seen: only their directives can be
     *                 known to be unused (X002), and only theirs are checked for a reason (X001)
     */
    public static Suppressions of(LoadedSnapshot head, Set<MigrationKey> analysed) {
        Suppressions s = new Suppressions();
        for (MigrationGraph.LabeledFile f : head.files()) {
            s.byPath.put(f.file().path(), f);
        }
        for (MigrationKey key : analysed) {
            MigrationGraph.Node node = head.graph().node(key);
            if (node != null) {
                s.reported.add(node.path());
            }
        }
        return s;
    }

    @Override
    public Finding apply(Finding f) {
        if (f.isSuppressed() || f.path() == null) {
            return f;
        }
        FileInfo info = info(f.path());
        if (info == null) {
            return f;
        }
        Integer opLine = f.operation() != null && f.operation() < info.operationLines().size()
                ? info.operationLines().get(f.operation()) : null;
        for (Directive d : info.directives()) {
            if (!d.fileWide() && d.ids().contains(f.rule())
                    && (d.target() == f.line() || (opLine != null && d.target() == opLine))) {
                return use(d, f);
            }
        }
        for (Directive d : info.directives()) {
            if (d.fileWide() && d.ids().contains(f.rule())) {
                return use(d, f);
            }
        }
        if (info.linterIgnore() && f.rule().startsWith("C")) {
            return f.suppress(LINTER_REASON);
        }
        return f;
    }

    private Finding use(Directive d, Finding f) {
        used.computeIfAbsent(d, k -> new HashSet<>()).add(f.rule());
        return f.suppress(d.hasReason() ? d.reason() : NO_REASON);
    }

    /** X001 and X002 for the analysed files, in path and line order. */
    @Override
    public List<Finding> finish() {
        List<Finding> out = new ArrayList<>();
        for (String path : reported) {
            FileInfo info = info(path);
            if (info == null) {
                continue;
            }
            for (Directive d : info.directives()) {
                String written = written(d);
                if (d.malformed()) {
                    out.add(finding(SuppressionRules.UNUSED, path, info, d, d.problem() + ", so it suppresses nothing",
                            "Write it as `# migsafe: ignore[RULE] reason` (line) or `# migsafe: ignore-file[RULE] reason`."));
                    continue;
                }
                if (!d.unknown().isEmpty()) {
                    out.add(finding(SuppressionRules.UNUSED, path, info, d, written + " names "
                                    + String.join(", ", d.unknown()) + (d.unknown().size() == 1 ? ", which is" : ", which are")
                                    + " not a migsafe rule, so it suppresses nothing there",
                            "Correct the id (`migsafe rules` lists them) or remove it from the comment."));
                }
                if (!d.hasReason() && !d.ids().isEmpty()) {
                    out.add(finding(SuppressionRules.NO_REASON, path, info, d, written
                                    + " gives no reason: the next reader cannot tell why the finding is acceptable",
                            "Say why after the bracket, e.g. `" + written
                                    + " the column has not been read since release 41`."));
                }
                Set<String> matched = used.getOrDefault(d, Set.of());
                List<String> unused = d.ids().stream().filter(id -> !matched.contains(id)).toList();
                if (!unused.isEmpty()) {
                    String where = d.fileWide() ? "in this file"
                            : "on line " + d.target() + " or the operation that starts there";
                    out.add(finding(SuppressionRules.UNUSED, path, info, d, written + " suppresses nothing: no "
                                    + String.join(" or ", unused) + " finding " + where,
                            "Remove " + (unused.size() == d.ids().size() ? "the comment" : String.join(", ", unused) + " from it")
                                    + (d.fileWide() ? "" : ", or move it onto the first line of the operation it is meant for, or the line above")
                                    + "."));
                }
            }
        }
        return out;
    }

    private static String written(Directive d) {
        List<String> ids = new ArrayList<>(d.ids());
        ids.addAll(d.unknown());
        return "`# migsafe: " + (d.fileWide() ? "ignore-file" : "ignore") + "[" + String.join(",", ids) + "]`";
    }

    private static Finding finding(Rule rule, String path, FileInfo info, Directive d, String message, String fix) {
        return new Finding(rule.id(), rule.info().severity(), path, d.line(), d.column(), info.app(), info.migration(),
                message, fix);
    }

    /** The file's directives and operation lines, read once; null for a path that is no parsed file. */
    private FileInfo info(String path) {
        if (files.containsKey(path)) {
            return files.get(path);
        }
        MigrationGraph.LabeledFile lf = byPath.get(path);
        FileInfo info = null;
        if (lf != null && lf.file().module() != null) {
            info = read(lf.app(), lf.file());
        }
        files.put(path, info);
        return info;
    }

    private static FileInfo read(String app, MigrationFile file) {
        List<Integer> lines = new ArrayList<>();
        boolean linter = false;
        if (file.migration() != null) {
            for (Operation op : file.migration().operations()) {
                lines.add(op.line());
                linter |= "IgnoreMigration".equals(op.type());
            }
        }
        return new FileInfo(app, MigrationGraph.migrationName(file.path()), Directive.read(file.module()),
                List.copyOf(lines), linter);
    }
}
