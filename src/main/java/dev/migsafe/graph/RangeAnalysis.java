package dev.migsafe.graph;

import dev.migsafe.config.Config;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.Snapshot;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParseCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Reads both sides of a range (PRODUCT.md "RANGE"), computes what it changes, and the graph and
 * history findings: the head graph's G001/G003/G004, G008 for changed migrations, G005-G007 for
 * shipped migrations, P findings of changed files, and G002/G009 against the branch the head
 * merges into (A of A...B and A..B, else the default branch) when that branch has moved on.
 */
public final class RangeAnalysis {

    /** How the range was given; labels are those of the JSON report's range.mode. */
    public enum Mode {
        DEFAULT("default"), THREE_DOT("three-dot"), TWO_DOT("two-dot"), REF("ref"), STAGED("staged"),
        WORKTREE("worktree"), ALL("all"), FILES("files");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The outcome: both commit ids (null for the index/work tree or --all's base), changes, findings,
     * and the base side's files: the code deployed while the head's migrations run (null for --all).
     */
    public record Result(Mode mode, String baseLabel, String baseId, String headLabel, String headId,
                         LoadedSnapshot head, ChangeSet changes, List<Finding> findings, Snapshot base) {}

    private final GitRepository git;
    private final ModuleParser parser;
    private final MigrationReader reader;
    private final Map<String, String> appLabels;
    private final Map<String, String> fieldTypes;
    private final Map<String, String> swappable = new HashMap<>(MigrationGraph.DEFAULT_SWAPPABLE);
    private final String configuredDefault;
    /** Loaded snapshots by commit id(s): a range's base is often also the fork point from main. */
    private final Map<String, LoadedSnapshot> loaded = new HashMap<>();
    /** Every snapshot this run read, in order: files that could not be read are reported from all of them. */
    private final List<LoadedSnapshot> read = new ArrayList<>();

    /**
     * @param config app labels, swappable settings and the default branch
     * @param defaultBranch a default branch given on the command line (wins over the config), or null
     */
    public RangeAnalysis(GitRepository git, Config config, String defaultBranch) {
        this.git = git;
        this.parser = new ModuleParser(ParseCache.under(git.commonDir()));
        this.reader = new MigrationReader(parser, true);
        this.appLabels = config.appLabels();
        this.fieldTypes = config.fieldTypes();
        this.swappable.putAll(config.swappable());
        this.configuredDefault = defaultBranch != null ? defaultBranch : config.defaultBranch();
    }

    public Result run(Mode mode, String range) throws GitException {
        // Only a range that names no base needs the default branch (refs are not read otherwise):
        // A...B and A..B are judged against A, their own target.
        boolean needsDefault = mode == Mode.REF || mode == Mode.DEFAULT;
        String defaultBranch = needsDefault ? git.defaultBranch(configuredDefault) : null;
        return switch (mode) {
            case ALL -> {
                LoadedSnapshot head = load(git.commit("HEAD"), "HEAD");
                ChangeSet all = ChangeSet.all(head);
                yield new Result(mode, null, null, "HEAD", head.snapshot().commitId(), head, all,
                        collect(head, all, List.of()), null);
            }
            case STAGED, WORKTREE -> {
                LoadedSnapshot base;
                LoadedSnapshot head;
                if (mode == Mode.STAGED) {
                    GitRepository.Staged staged = git.staged();
                    base = staged.head() == null ? noCommit() : load(staged.head());
                    head = load(staged.index());
                } else {
                    RevCommit headCommit = git.headOrNull();
                    base = headCommit == null ? noCommit() : load(headCommit, "HEAD");
                    head = load(git.workTreeSnapshot());
                }
                ChangeSet changes = ChangeSet.between(base, head);
                yield new Result(mode, base.snapshot().label(), base.snapshot().commitId(), head.snapshot().label(), null,
                        head, changes, collect(head, changes, List.of()), base.snapshot());
            }
            case FILES -> namedFiles(List.of(range.split(FILE_SEPARATOR)));
            case TWO_DOT -> {
                String[] parts = range.split("\\.\\.", 2);
                yield commits(mode, parts[0], List.of(git.commit(parts[0])), parts[1], parts[0]);
            }
            case THREE_DOT -> {
                String[] parts = range.split("\\.\\.\\.", 2);
                yield threeDot(mode, parts[0], parts[1].isEmpty() ? "HEAD" : parts[1], parts[0]);
            }
            case REF, DEFAULT -> {
                if (defaultBranch == null) {
                    throw new GitException("no default branch found (origin/HEAD, origin/main, origin/master, main, master): "
                            + "set `default-branch` in the configuration or give a range such as main...HEAD");
                }
                yield threeDot(mode, defaultBranch, mode == Mode.REF ? range : "HEAD", defaultBranch);
            }
        };
    }

    /** Separates the paths of FILE operands in {@link #run}'s one string: no path can hold a NUL. */
    private static final String FILE_SEPARATOR = "\0";

    /** FILE operands as {@link #run} takes them (Mode.FILES): absolute or work-tree-relative paths. */
    public static String files(List<String> paths) {
        return String.join(FILE_SEPARATOR, paths);
    }

    /**
     * FILE operands, as the pre-commit framework passes them: the index with the named files as
     * they are on disk, compared with HEAD; the named migrations that differ from HEAD are
     * analysed (see {@link NamedFiles}).
     */
    private Result namedFiles(List<String> paths) throws GitException {
        if (git.workTree() == null) {
            throw new GitException("a bare repository has no work tree: FILE operands name work-tree files; analyse commits instead");
        }
        GitRepository.Staged staged = git.staged();
        NamedFiles files = NamedFiles.over(git, staged.index(), paths);
        LoadedSnapshot base = staged.head() == null ? noCommit() : load(staged.head());
        LoadedSnapshot head = load(files.snapshot());
        ChangeSet changes = ChangeSet.between(base, head).only(files.named());
        return new Result(Mode.FILES, base.snapshot().label(), base.snapshot().commitId(), files.snapshot().label(), null,
                head, changes, collect(head, changes, List.of()), base.snapshot());
    }

    /** The base of a repository whose HEAD has no commit yet (its first commit): no migrations. */
    private LoadedSnapshot noCommit() {
        return load(new Snapshot("HEAD (no commit yet)", null, Map.of(), Map.of()));
    }

    /** {@code target}: the branch the head is merged into, whose divergence from the head is reported (G002/G009). */
    private Result threeDot(Mode mode, String baseRef, String headRef, String target) throws GitException {
        RevCommit a = git.commit(baseRef);
        RevCommit b = git.commit(headRef);
        List<RevCommit> bases = git.mergeBases(a, b);
        if (bases.isEmpty()) {
            throw new GitException(baseRef + " and " + headRef + " have no common history"
                    + (git.isShallow() ? ": the clone is shallow; fetch full history (actions/checkout: fetch-depth: 0)" : ""));
        }
        // Criss-cross histories have several merge bases: together they are the common ancestor.
        return commits(mode, "merge-base(" + baseRef + ", " + headRef + ")", bases, headRef, target);
    }

    private Result commits(Mode mode, String baseLabel, List<RevCommit> baseCommits, String headRef, String target)
            throws GitException {
        RevCommit headCommit = git.commit(headRef);
        RevCommit baseCommit = baseCommits.get(0);
        LoadedSnapshot base = load(baseCommits, baseLabel);
        LoadedSnapshot head = load(headCommit, headRef);
        ChangeSet changes = ChangeSet.between(base, head);
        List<Finding> divergence = divergenceFrom(target, headRef, headCommit, head);
        return new Result(mode, baseLabel, baseCommit.name(), headRef, headCommit.name(), head, changes,
                collect(head, changes, divergence), base.snapshot());
    }

    /**
     * G002/G009 against the branch the head merges into: what that branch added since the head's
     * fork point. A range names it (A in A...B or A..B: a pull request into a release branch is
     * compared with that branch, and a commit reviewed against its parent diverges from nothing);
     * a single REF or no range means the default branch.
     */
    private List<Finding> divergenceFrom(String target, String headRef, RevCommit headCommit,
                                         LoadedSnapshot head) throws GitException {
        if (target == null) {
            return List.of();
        }
        RevCommit tip = git.commit(target);
        if (tip.equals(headCommit)) {
            return List.of();
        }
        List<RevCommit> bases = git.mergeBases(tip, headCommit);
        if (bases.isEmpty() || bases.contains(tip)) {
            return List.of(); // unrelated, or the head already contains the default branch
        }
        LoadedSnapshot fork = load(bases, "merge-base");
        LoadedSnapshot main = load(tip, target);
        ChangeSet onMain = ChangeSet.between(fork, main);
        ChangeSet onHead = ChangeSet.between(fork, head);
        return Divergence.between(new Divergence.Side(target, main, onMain), new Divergence.Side(headRef, head, onHead));
    }

    private List<Finding> collect(LoadedSnapshot head, ChangeSet changes, List<Finding> divergence) {
        Set<String> changedPaths = new HashSet<>();
        changes.changed().forEach(c -> changedPaths.add(c.file().path()));
        List<Finding> out = new ArrayList<>();
        for (Finding f : head.findings()) {
            boolean graphError = f.rule().equals("G001") || f.rule().equals("G003") || f.rule().equals("G004");
            if (graphError || changedPaths.contains(f.path())) {
                out.add(f);
            }
        }
        out.addAll(changes.findings());
        out.addAll(divergence);
        for (Finding f : unreadable()) {
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The P006 findings of every snapshot read so far (files missing from the clone, links), the
     * same file once: whichever side of a comparison lacks a file, the comparison is incomplete,
     * so they are reported whether or not the file changed.
     */
    public List<Finding> unreadable() {
        List<Finding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LoadedSnapshot s : read) {
            for (Finding f : s.readFindings()) {
                if (f.rule().equals(Diagnostic.UNREADABLE) && seen.add(f.path() + '\0' + f.message())) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    public LoadedSnapshot load(Snapshot snapshot) {
        LoadedSnapshot s = LoadedSnapshot.load(snapshot, reader, parser, appLabels, swappable, git.migrationPaths(),
                fieldTypes);
        read.add(s);
        return s;
    }

    /** A commit's snapshot, loaded once per run. */
    public LoadedSnapshot load(RevCommit commit, String label) throws GitException {
        return load(List.of(commit), label);
    }

    /** The union of several commits' snapshots (criss-cross merge bases), loaded once per run. */
    public LoadedSnapshot load(List<RevCommit> commits, String label) throws GitException {
        String key = String.join(",", commits.stream().map(RevCommit::name).toList());
        LoadedSnapshot s = loaded.get(key);
        if (s == null) {
            s = load(commits.size() == 1 ? git.snapshot(commits.get(0), label) : git.snapshot(commits, label));
            loaded.put(key, s);
        }
        return s;
    }

    /** Reads "A...B", "A..B" or a single ref into a mode. */
    public static Mode modeOf(String range) {
        if (range == null) {
            return Mode.DEFAULT;
        }
        if (range.contains("...")) {
            return Mode.THREE_DOT;
        }
        return range.contains("..") ? Mode.TWO_DOT : Mode.REF;
    }
}
