package dev.migsafe.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * The fuzz harness: mutants of the fixtures through `parse` and `analyze`, in process, the way
 * the command line runs them ({@link Main#execute}: the large-stack thread, the error handlers).
 *
 * <p>For every mutant, `parse --format json FILE` must end with exit 0 or 1, a record for the
 * file and, for a rejected file, its one line on stderr. Mutants then go into repositories in
 * batches: the base commit (main) holds each mutant's unit (its project, relabelled so units do
 * not collide), the feature commit adds the mutant (or replaces the file it came from) and two
 * untouched control units. `analyze --all` and `analyze main...feature` must end with exit 0 or
 * 1, report every bad mutant with the rule parse gave it, list every readable one, and still
 * judge every untouched migration that a clean run judges. Any exit 2, "internal error", Java
 * exception name or stack frame on stderr is a crash; a command past its time bound is a hang.
 *
 * <p>Each failure is written to {@code target/fuzz-failures/seed-S/} (the mutant, byte-exact, and
 * what happened) with the command that replays it; a crash or hang of a batch is narrowed to
 * the mutants that cause it by running each alone.
 */
final class FuzzRun {

    /**
     * Reads migsafe's JSON without Jackson's default cap on number length: `parse` reports a
     * 7,000-digit integer literal as the number it is, which is valid JSON.
     */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE).build())
            .build());
    /** Threads of timed-out runs that could not be stopped ({@link BoundedCommands}), after which the fuzz run ends. */
    private static final int MAX_LEAKED = 3;

    /** A mutant and where it goes: its unit placed under tag kINDEX, the path of the mutated file. */
    record Planned(int index, Corpus.Source source, String path, Map<String, byte[]> placed, Mutator.Mutant mutant,
                   boolean replace) {
        String describe() {
            return "mutant " + index + " of " + source.describe() + " (" + mutant.describe() + ")";
        }
    }

    /** What parse said of a mutant: status ok, not-a-migration or error, and the rule (P001, P002, P005). */
    record Verdict(String status, String rule, String where) {}

    /**
     * One failure: a kind, the phase, the mutant index (-1 when it is the batch's), one line,
     * details, and its cause (the exception and first migsafe frame of a crash; the line without
     * its numbers and paths otherwise), by which the summary groups failures.
     */
    record Failure(String kind, String phase, int index, int batch, String line, String details, String cause) {}


    private final FuzzSettings settings;
    private final Corpus corpus;
    private final Path work;
    private final FuzzStats stats = new FuzzStats();
    private final List<Failure> failures = new ArrayList<>();
    private final Set<String> judgedClean = new HashSet<>();
    private final BoundedCommands runner = new BoundedCommands();
    private int leaked;

    FuzzRun(FuzzSettings settings, Corpus corpus, Path work) {
        this.settings = settings;
        this.corpus = corpus;
        this.work = work;
    }

    List<Failure> failures() {
        return failures;
    }

    FuzzStats stats() {
        return stats;
    }

    /** The whole run; the summary is printed and written beside the failures. */
    String run() throws IOException {
        long start = System.nanoTime();
        stats.sources = corpus.sources.size();
        stats.units = corpus.units.size();
        try {
            long calibration = System.nanoTime();
            calibrate();
            stats.calibrationNanos = System.nanoTime() - calibration;
            int[] indices = settings.indices();
            for (int from = 0, batch = 0; from < indices.length && leaked < MAX_LEAKED; from += settings.batch(), batch++) {
                List<Planned> planned = new ArrayList<>();
                for (int i = from; i < Math.min(indices.length, from + settings.batch()); i++) {
                    planned.add(plan(indices[i]));
                }
                runBatch(batch, planned);
            }
        } finally {
            runner.close();
        }
        stats.totalNanos = System.nanoTime() - start;
        stats.aborted = leaked >= MAX_LEAKED;
        String summary = stats.summary(settings, failures);
        Files.createDirectories(settings.failures());
        Files.writeString(settings.failures().resolve("summary-seed-" + settings.seed() + ".txt"), summary);
        return summary;
    }

    /** The mutant with this index: the same seed and index always give the same bytes and place. */
    Planned plan(int index) {
        SplittableRandom r = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + index);
        Corpus.Source source = corpus.sources.get(r.nextInt(corpus.sources.size()));
        byte[] donor = corpus.sources.get(r.nextInt(corpus.sources.size())).target().bytes();
        String tag = "k" + index;
        Map<String, byte[]> placed = Corpus.place(source.unit(), tag);
        String path = Corpus.placedPath(source.unit(), source.target(), tag);
        boolean replace = source.unit().files().size() > 1 && r.nextBoolean();
        Mutator.Mutant mutant = Mutator.mutate(placed.get(path), donor, r.split(), settings.scale());
        return new Planned(index, source, path, placed, mutant, replace);
    }

    // --- calibration: which untouched migrations a clean run judges --------------------------

    /**
     * Every unit side by side in one repository, untouched: the migrations analyze --all judges
     * there are the ones a batch must still judge when a neighbour is mutated.
     */
    private void calibrate() throws IOException {
        Path dir = work.resolve("calibration");
        Map<String, String> keyByPath = new HashMap<>();
        try (Git git = init(dir)) {
            for (int u = 0; u < corpus.units.size(); u++) {
                Corpus.Unit unit = corpus.units.get(u);
                String tag = "u" + u;
                writeAll(dir, Corpus.place(unit, tag));
                for (Corpus.UnitFile f : unit.files()) {
                    keyByPath.put(Corpus.placedPath(unit, f, tag), unit.name() + ":" + f.path());
                }
            }
            commit(git, "untouched fixtures");
        }
        String[] args = {"analyze", "--all", "--format", "json", "--repo", dir.toString()};
        BoundedCommands.Outcome o = call(args, settings.batchLimit().multipliedBy(2));
        JsonNode doc = crashed("calibrate", -1, -1, o, args) ? null : json(o.out());
        if (doc == null) {
            fail("CRASH", "calibrate", -1, -1, "analyze --all of the untouched fixtures failed", o.err());
        } else {
            for (JsonNode m : doc.path("migrations")) {
                String key = keyByPath.get(m.path("path").asText());
                if (key != null && !m.path("class").isNull()) {
                    judgedClean.add(key);
                }
            }
        }
        stats.judgedClean = judgedClean.size();
        if (!Boolean.getBoolean("fuzz.keep")) {
            delete(dir);
        }
    }

    // --- one batch ---------------------------------------------------------------------------

    private void runBatch(int batch, List<Planned> planned) throws IOException {
        Map<Integer, Verdict> verdicts = new HashMap<>();
        for (Planned p : planned) {
            stats.count(p);
            Verdict v = parse(batch, p);
            if (v != null) {
                verdicts.put(p.index, v);
            }
            if (leaked >= MAX_LEAKED) {
                return;
            }
        }
        stats.batches++;
        // A mutant that broke parse is reported already; in a batch it would only break it again.
        List<Planned> readable = planned.stream().filter(p -> verdicts.containsKey(p.index)).toList();
        List<String> broken = analyzeBatch(batch, readable, verdicts, "");
        if (!broken.isEmpty() && leaked < MAX_LEAKED) {
            // Narrowed to the mutants that break a run on their own; the others are then checked
            // again without them, so that one crash does not hide the rest of the batch.
            Set<Integer> culprits = isolate(batch, readable, broken);
            List<Planned> rest = readable.stream().filter(p -> !culprits.contains(p.index)).toList();
            if (!culprits.isEmpty() && !rest.isEmpty() && leaked < MAX_LEAKED) {
                analyzeBatch(batch, rest, verdicts, " (without " + new java.util.TreeSet<>(culprits) + ")");
            }
        }
        writeBatchOnFailure(batch, planned);
    }

    /**
     * The batch in a repository: main holds each mutant's unit (without the mutant's file unless
     * it replaces it); feature adds the mutants and two untouched control units. Both analyze
     * commands, checked; the modes that crashed or hung (their reports could not be checked).
     */
    private List<String> analyzeBatch(int batch, List<Planned> planned, Map<Integer, Verdict> verdicts, String note) throws IOException {
        Path dir = work.resolve("batch-" + batch + (note.isEmpty() ? "" : "-rest"));
        Map<String, String> controlPaths = new HashMap<>(); // placed path -> unit file key
        try (Git git = init(dir)) {
            for (Planned p : planned) {
                Map<String, byte[]> base = new LinkedHashMap<>(p.placed);
                if (!p.replace) {
                    base.remove(p.path);
                }
                writeAll(dir, base);
            }
            commit(git, "base");
            git.checkout().setCreateBranch(true).setName("feature").call();
            for (Planned p : planned) {
                Files.createDirectories(dir.resolve(p.path).getParent());
                Files.write(dir.resolve(p.path), p.mutant.bytes());
            }
            SplittableRandom r = new SplittableRandom(settings.seed() * 31 + 7919L * batch);
            for (int j = 0; j < 2; j++) {
                Corpus.Unit unit = corpus.units.get(r.nextInt(corpus.units.size()));
                String tag = "c" + batch + "x" + j;
                writeAll(dir, Corpus.place(unit, tag));
                for (Corpus.UnitFile f : unit.files()) {
                    controlPaths.put(Corpus.placedPath(unit, f, tag), unit.name() + ":" + f.path());
                }
            }
            commit(git, "mutants");
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }

        // Untouched migrations each command must still judge.
        Map<String, Integer> siblings = new HashMap<>(); // placed path -> owning mutant index
        for (Planned p : planned) {
            for (Corpus.UnitFile f : p.source.unit().files()) {
                String path = Corpus.placedPath(p.source.unit(), f, "k" + p.index);
                if (!path.equals(p.path) && judgedClean.contains(p.source.unit().name() + ":" + f.path())) {
                    siblings.put(path, p.index);
                }
            }
        }
        Map<String, Integer> judgedControls = new HashMap<>();
        controlPaths.forEach((path, key) -> {
            if (judgedClean.contains(key)) {
                judgedControls.put(path, -1);
            }
        });
        Map<String, Integer> mustJudgeAll = new HashMap<>(siblings);
        mustJudgeAll.putAll(judgedControls);

        List<String> broken = new ArrayList<>();
        for (String mode : List.of("--all", "main...feature")) {
            String[] args = {"analyze", mode, "--format", "json", "--repo", dir.toString()};
            BoundedCommands.Outcome o = call(args, settings.batchLimit());
            stats.analyzed(mode, batch, o.nanos(), o.code(), o.timedOut());
            String phase = "analyze " + mode + note;
            if (crashed(phase, -1, batch, o, args)) {
                broken.add(mode);
                if (leaked >= MAX_LEAKED) {
                    break;
                }
                continue;
            }
            JsonNode doc = json(o.out());
            if (doc == null) {
                fail("BAD_OUTPUT", phase, -1, batch, "not a JSON document", o.out().substring(0, Math.min(2000, o.out().length())));
                broken.add(mode);
                continue;
            }
            checkReport(phase, batch, doc, planned, verdicts, mode.equals("--all") ? mustJudgeAll : judgedControls,
                    mode.equals("--all"));
        }
        if (!Boolean.getBoolean("fuzz.keep")) {
            delete(dir);
        }
        return broken;
    }

    /** parse FILE on one mutant; its verdict, or null when parse itself failed. */
    private Verdict parse(int batch, Planned p) throws IOException {
        Path file = work.resolve("parse").resolve(p.path);
        Files.createDirectories(file.getParent());
        Files.write(file, p.mutant.bytes());
        try {
            String[] args = {"parse", "--format", "json", file.toString()};
            BoundedCommands.Outcome o = call(args, settings.parseLimit());
            stats.parsed(p, o.nanos(), o.timedOut());
            if (crashed("parse", p.index, batch, o, args)) {
                return null;
            }
            JsonNode doc = json(o.out());
            JsonNode record = doc == null ? null : doc.path("files").path(0);
            if (record == null || record.isMissingNode() || !record.path("path").asText().equals(file.toString())) {
                fail("BAD_OUTPUT", "parse", p.index, batch, "no record for the file", o.out().substring(0, Math.min(2000, o.out().length())));
                return null;
            }
            String status = record.path("status").asText();
            JsonNode error = record.path("error");
            String rule = status.equals("error") ? error.path("rule").asText() : status.equals("not-a-migration") ? "P002" : null;
            for (JsonNode d : record.path("diagnostics")) {
                stats.diagnostic(d.path("rule").asText());
            }
            stats.parseOutcome(status.equals("ok") ? "ok" : rule);
            int expected = status.equals("error") ? 1 : 0;
            if (o.code() != expected) {
                fail("BAD_OUTPUT", "parse", p.index, batch, "status " + status + " but exit code " + o.code(), o.err());
            }
            if (status.equals("error")) {
                String where = error.path("line").asText() + ":" + error.path("column").asText();
                String line = file + ":" + where + ": " + rule + " ";
                if (!o.err().contains(line)) {
                    fail("BAD_OUTPUT", "parse", p.index, batch, "no stderr line `" + rule + "` for the rejected file", o.err());
                }
                return new Verdict(status, rule, where);
            }
            return new Verdict(status, rule, null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Every mutant reported or listed; every untouched migration judged. */
    private void checkReport(String phase, int batch, JsonNode doc, List<Planned> planned, Map<Integer, Verdict> verdicts,
                             Map<String, Integer> mustJudge, boolean all) {
        Map<String, JsonNode> migrations = new HashMap<>();
        for (JsonNode m : doc.path("migrations")) {
            migrations.put(m.path("path").asText(), m);
        }
        Map<String, Set<String>> rules = new HashMap<>();
        for (JsonNode f : doc.path("findings")) {
            rules.computeIfAbsent(f.path("path").asText(), k -> new HashSet<>()).add(f.path("rule").asText());
        }
        for (Planned p : planned) {
            Set<String> onFile = rules.getOrDefault(p.path, Set.of());
            if (all) {
                onFile.forEach(stats::findingOnMutant);
            }
            Verdict v = verdicts.get(p.index);
            if (!migrations.containsKey(p.path) && onFile.isEmpty()) {
                fail("UNREPORTED", phase, p.index, batch, "the mutant is neither listed nor given a finding", "");
            } else if (v != null && v.rule != null && !onFile.contains(v.rule)) {
                fail("UNREPORTED", phase, p.index, batch, "parse gives " + v.rule + (v.where != null ? " at " + v.where : "")
                        + " but the report has no " + v.rule + " on the file (has " + new java.util.TreeSet<>(onFile) + ")", "");
            } else if (v != null && v.status.equals("ok") && !migrations.containsKey(p.path)) {
                fail("NOT_ANALYSED", phase, p.index, batch, "parse reads the migration but the report does not list it (findings "
                        + onFile + ")", "");
            }
        }
        for (Map.Entry<String, Integer> e : mustJudge.entrySet()) {
            JsonNode m = migrations.get(e.getKey());
            if (m == null || m.path("class").isNull()) {
                fail("NOT_ANALYSED", phase, e.getValue(), batch, "untouched " + e.getKey() + (m == null ? " is not listed" : " is not judged")
                        + (e.getValue() >= 0 ? " beside the mutant" : " (a control unit)"), "");
            }
        }
    }

    /** A crash or hang of a batch, narrowed: each mutant alone in a repository of its own, in the modes that failed. */
    private Set<Integer> isolate(int batch, List<Planned> planned, List<String> modes) throws IOException {
        Set<Integer> culprits = new HashSet<>();
        for (Planned p : planned) {
            Path dir = work.resolve("alone-" + p.index);
            try (Git git = init(dir)) {
                Map<String, byte[]> base = new LinkedHashMap<>(p.placed);
                if (!p.replace) {
                    base.remove(p.path);
                }
                writeAll(dir, base);
                commit(git, "base");
                git.checkout().setCreateBranch(true).setName("feature").call();
                Files.createDirectories(dir.resolve(p.path).getParent());
                Files.write(dir.resolve(p.path), p.mutant.bytes());
                commit(git, "mutant");
            } catch (GitAPIException e) {
                throw new IllegalStateException(e);
            }
            for (String mode : modes) {
                String[] args = {"analyze", mode, "--format", "json", "--repo", dir.toString()};
                BoundedCommands.Outcome o = call(args, settings.batchLimit());
                if (crashed("analyze " + mode + " (alone)", p.index, batch, o, args)) {
                    culprits.add(p.index);
                    if (leaked >= MAX_LEAKED) {
                        delete(dir);
                        return culprits;
                    }
                }
            }
            if (!Boolean.getBoolean("fuzz.keep")) {
                delete(dir);
            }
        }
        return culprits;
    }

    // --- checks and failures -----------------------------------------------------------------

    /** Exit 2, a thrown exception, a Java name or frame on stderr, or a timeout: recorded, true. */
    private boolean crashed(String phase, int index, int batch, BoundedCommands.Outcome o, String[] args) {
        if (o.timedOut()) {
            fail("HANG", phase, index, batch, "no answer within " + (phase.equals("parse") ? settings.parseLimit() : settings.batchLimit()).toSeconds()
                    + " s", o.err());
            return true;
        }
        if (o.thrown() != null) {
            StringWriter trace = new StringWriter();
            o.thrown().printStackTrace(new PrintWriter(trace));
            fail("CRASH", phase, index, batch, "threw " + o.thrown(), trace.toString());
            return true;
        }
        String err = o.err();
        String marker = err.contains("internal error") ? "internal error" : err.contains("Exception") ? "Exception"
                : err.contains("\tat ") ? "stack trace" : err.contains("out of memory") ? "out of memory"
                : err.contains("out of stack") ? "out of stack" : null;
        if (o.code() != 0 && o.code() != 1 || marker != null) {
            fail("CRASH", phase, index, batch, "exit " + o.code() + (marker != null ? ", " + marker : "") + ": " + firstLine(err),
                    "migsafe " + String.join(" ", args) + "\n" + err + "\nwith --debug:\n" + debugTrace(args));
            return true;
        }
        return false;
    }

    /** The same command again with --debug, for the stack trace (its top frames are what a report needs). */
    private String debugTrace(String[] args) {
        String[] debug = java.util.Arrays.copyOf(args, args.length + 1);
        debug[args.length] = "--debug";
        BoundedCommands.Outcome o = call(debug, settings.batchLimit());
        return o.timedOut() ? "(timed out)" : o.err();
    }

    private final Set<Integer> failedBatches = new HashSet<>();

    private void fail(String kind, String phase, int index, int batch, String line, String details) {
        Failure f = new Failure(kind, phase, index, batch, line, details, cause(kind, phase, line, details));
        failures.add(f);
        failedBatches.add(batch);
        System.out.println(oneLine(f));
        System.out.flush();
    }

    private static final java.util.regex.Pattern FRAME = java.util.regex.Pattern.compile("\tat (dev\\.migsafe\\.[^(]+)\\(([^)]*)\\)");

    static String cause(String kind, String phase, String line, String details) {
        if (kind.equals("CRASH")) {
            int debug = details.indexOf("with --debug:\n");
            String trace = debug >= 0 ? details.substring(debug) : details;
            String exception = trace.lines().filter(l -> l.startsWith("migsafe: ") || l.contains("Exception") || l.contains("Error"))
                    .findFirst().orElse(firstLine(details)).replaceFirst("^with --debug:", "").strip();
            java.util.regex.Matcher m = FRAME.matcher(trace);
            return "CRASH " + exception.replaceAll("/\\S+", "PATH") + (m.find() ? " at " + m.group(1) + "(" + m.group(2) + ")" : "");
        }
        if (kind.equals("HANG")) {
            return "HANG in " + phase.replaceAll(" \\(.*", "");
        }
        return kind + " " + phase.replaceAll(" \\(.*", "") + ": " + line.replaceAll(" \\((has|findings) .*", "")
                .replaceAll("\\S+/migrations/\\S+", "PATH").replaceAll("\\d+", "N");
    }

    String oneLine(Failure f) {
        return "FUZZ " + f.kind + " seed=" + settings.seed() + (f.index >= 0 ? " mutant=" + f.index : " batch=" + f.batch)
                + " [" + f.phase + "] " + f.line;
    }

    /** The failing mutants of a batch, byte-exact, with what happened and how to replay them. */
    private void writeBatchOnFailure(int batch, List<Planned> planned) throws IOException {
        if (!failedBatches.contains(batch)) {
            return;
        }
        Path dir = settings.failures().resolve("seed-" + settings.seed());
        Files.createDirectories(dir);
        Map<Integer, Planned> byIndex = new HashMap<>();
        planned.forEach(p -> byIndex.put(p.index, p));
        Map<Integer, StringBuilder> notes = new TreeMap<>();
        List<Failure> ofBatch = failures.stream().filter(f -> f.batch == batch).toList();
        boolean batchWide = false;
        for (Failure f : ofBatch) {
            if (f.index < 0 || !byIndex.containsKey(f.index)) {
                batchWide = true;
                continue;
            }
            notes.computeIfAbsent(f.index, k -> new StringBuilder()).append(oneLine(f)).append('\n').append(f.details).append("\n\n");
        }
        if (batchWide) {
            // No mutant was named: keep the whole batch, so that it can be replayed as it ran.
            for (Planned p : planned) {
                notes.computeIfAbsent(p.index, k -> new StringBuilder());
            }
            StringBuilder all = new StringBuilder();
            for (Failure f : ofBatch) {
                all.append(oneLine(f)).append('\n').append(f.details).append("\n\n");
            }
            all.append("replay: ").append(settings.replay(planned.stream().map(p -> String.valueOf(p.index))
                    .reduce((a, b) -> a + "," + b).orElse(""))).append('\n');
            Files.writeString(dir.resolve("batch-" + batch + ".txt"), all.toString());
        }
        for (Map.Entry<Integer, StringBuilder> e : notes.entrySet()) {
            Planned p = byIndex.get(e.getKey());
            String name = "mutant-" + p.index;
            Files.write(dir.resolve(name + ".py"), p.mutant.bytes());
            String text = p.describe() + "\nplaced at " + p.path + (p.replace ? " (replacing the fixture's file)" : " (added)")
                    + "\nreplay: " + settings.replay(String.valueOf(p.index))
                    + "\nor: bin/migsafe parse " + dir.resolve(name + ".py") + "\n\n" + e.getValue();
            Files.writeString(dir.resolve(name + ".txt"), text);
        }
    }

    private BoundedCommands.Outcome call(String[] args, Duration limit) {
        BoundedCommands.Outcome o = runner.call(args, limit);
        leaked = runner.leaked();
        return o;
    }

    private static JsonNode json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    // --- repositories ------------------------------------------------------------------------

    private static Git init(Path dir) throws IOException {
        try {
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            StoredConfig config = git.getRepository().getConfig();
            config.setBoolean("core", null, "autocrlf", false); // the bytes committed are the bytes parsed
            config.save();
            return git;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void commit(Git git, String message) {
        try {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Fuzz", "fuzz@example.com");
            git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAll(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path to = dir.resolve(e.getKey());
            Files.createDirectories(to.getParent());
            Files.write(to, e.getValue());
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
