package dev.migsafe.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The numbers of a fuzz run, for its summary (and the closing note of the work that ran it). */
final class FuzzStats {

    int units;
    int sources;
    int judgedClean;
    int mutants;
    int replaced;
    long bytes;
    long largest;
    int batches;
    long totalNanos;
    boolean aborted;
    final List<Long> parseTimes = new java.util.ArrayList<>();
    final List<Long> analyzeTimes = new java.util.ArrayList<>();

    final Map<String, Integer> operators = new TreeMap<>();
    final Map<Integer, Integer> operatorsPerMutant = new TreeMap<>();
    final Map<String, Integer> parseOutcomes = new TreeMap<>();
    final Map<String, Integer> parseDiagnostics = new TreeMap<>();
    final Map<String, Integer> findingsOnMutants = new TreeMap<>();
    final Map<String, Integer> analyzeExits = new TreeMap<>();

    long slowestParse;
    String slowestParseWhat = "";
    long slowestAnalyze;
    String slowestAnalyzeWhat = "";
    long parseNanos;
    long calibrationNanos;
    long analyzeNanos;

    void count(FuzzRun.Planned p) {
        mutants++;
        if (p.replace()) {
            replaced++;
        }
        bytes += p.mutant().bytes().length;
        largest = Math.max(largest, p.mutant().bytes().length);
        for (String op : p.mutant().ops()) {
            int paren = op.indexOf('(');
            int at = op.indexOf('@');
            int end = paren < 0 ? at < 0 ? op.length() : at : at < 0 ? paren : Math.min(paren, at);
            operators.merge(op.substring(0, end), 1, Integer::sum);
        }
        operatorsPerMutant.merge(p.mutant().ops().size(), 1, Integer::sum);
    }

    /** Times of runs that ended; a run past its bound is a failure, not the slowest file. */
    void parsed(FuzzRun.Planned p, long nanos, boolean timedOut) {
        parseNanos += nanos;
        if (timedOut) {
            return;
        }
        parseTimes.add(nanos);
        if (nanos > slowestParse) {
            slowestParse = nanos;
            slowestParseWhat = p.describe() + ", " + p.mutant().bytes().length + " bytes";
        }
    }

    void parseOutcome(String outcome) {
        parseOutcomes.merge(outcome, 1, Integer::sum);
    }

    void diagnostic(String rule) {
        parseDiagnostics.merge(rule, 1, Integer::sum);
    }

    void findingOnMutant(String rule) {
        findingsOnMutants.merge(rule, 1, Integer::sum);
    }

    void analyzed(String mode, int batch, long nanos, int code, boolean timedOut) {
        analyzeNanos += nanos;
        analyzeExits.merge(mode + (timedOut ? " timed out" : " exit " + code), 1, Integer::sum);
        if (timedOut) {
            return;
        }
        analyzeTimes.add(nanos);
        if (nanos > slowestAnalyze) {
            slowestAnalyze = nanos;
            slowestAnalyzeWhat = "analyze " + mode + " of batch " + batch;
        }
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "-";
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        java.util.function.DoubleFunction<String> at = q -> String.format("%.0f ms", sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6);
        return "median " + at.apply(0.5) + ", p90 " + at.apply(0.9) + ", p99 " + at.apply(0.99) + ", max " + at.apply(1.0);
    }

    /** Mutant indices first, in order, then batches. */
    private static int number(String where) {
        return where.startsWith("batch ") ? 1_000_000_000 + Integer.parseInt(where.substring(6)) : Integer.parseInt(where);
    }

    String summary(FuzzSettings settings, List<FuzzRun.Failure> failures) {
        StringBuilder s = new StringBuilder();
        s.append("migsafe fuzz: seed ").append(settings.seed()).append(", ").append(mutants).append(" mutants (")
                .append(settings.scale().name().toLowerCase(java.util.Locale.ROOT)).append(" scale) of ")
                .append(sources).append(" fixture migrations (").append(units).append(" units; ")
                .append(judgedClean).append(" migrations judged in the clean calibration run)")
                .append(aborted ? " -- ABORTED: runs past their time bound could not be stopped" : "").append('\n');
        s.append("  placed: ").append(mutants - replaced).append(" added as new files, ").append(replaced)
                .append(" replacing their fixture file; ").append(bytes / 1024 / 1024).append(" MB in all, largest ")
                .append(largest).append(" bytes\n");
        s.append("  operators applied: ").append(operators).append('\n');
        s.append("  operators per mutant: ").append(operatorsPerMutant).append('\n');
        s.append("  parse outcomes: ").append(parseOutcomes).append("; diagnostics ").append(parseDiagnostics).append('\n');
        s.append("  analyze: ").append(batches).append(" batches of up to ").append(settings.batch())
                .append(" mutants (plus 2 untouched control units each), exits ").append(analyzeExits).append('\n');
        s.append("  findings on mutants (analyze --all): ").append(findingsOnMutants).append('\n');
        s.append(String.format("  time: %.1f s in all (calibration %.1f s, parse %.1f s, analyze %.1f s; the rest builds repositories and narrows failures)%n",
                totalNanos / 1e9, calibrationNanos / 1e9, parseNanos / 1e9, analyzeNanos / 1e9));
        s.append("  per parse: ").append(percentiles(parseTimes)).append("; per analyze command: ").append(percentiles(analyzeTimes))
                .append(" (runs that ended within their bound)\n");
        s.append(String.format("  slowest parse within the bound: %.2f s, %s%n", slowestParse / 1e9, slowestParseWhat));
        s.append(String.format("  slowest analyze within the bound: %.2f s, %s%n", slowestAnalyze / 1e9, slowestAnalyzeWhat));
        Map<String, Integer> kinds = new TreeMap<>();
        failures.forEach(f -> kinds.merge(f.kind(), 1, Integer::sum));
        s.append("  failures: ").append(failures.size()).append(failures.isEmpty() ? "" : " " + kinds + " (written to "
                + settings.failures().resolve("seed-" + settings.seed()) + ")").append('\n');
        Map<String, java.util.Set<String>> causes = new TreeMap<>();
        for (FuzzRun.Failure f : failures) {
            causes.computeIfAbsent(f.cause(), k -> new java.util.TreeSet<>(java.util.Comparator.comparingInt(FuzzStats::number)))
                    .add(f.index() >= 0 ? String.valueOf(f.index()) : "batch " + f.batch());
        }
        causes.forEach((cause, where) -> {
            List<String> some = where.stream().limit(12).toList();
            s.append("    ").append(cause).append("\n      mutants: ").append(String.join(", ", some))
                    .append(where.size() > some.size() ? ", ... (" + where.size() + ")" : "").append('\n');
        });
        return s.toString();
    }
}
