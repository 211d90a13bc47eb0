package dev.migsafe.fuzz;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a fuzz run does, from system properties (Maven passes `-Dfuzz.x=...` on to the tests):
 *
 * <ul>
 *   <li>{@code fuzz.mutants} (default given by the test), {@code fuzz.seed} (default 1)</li>
 *   <li>{@code fuzz.scale}: {@code full} or {@code light} (see {@link Mutator.Scale})</li>
 *   <li>{@code fuzz.batch}: mutants per analysed repository (default 40)</li>
 *   <li>{@code fuzz.only}: comma-separated mutant indices, to reproduce a failure</li>
 *   <li>{@code fuzz.parseSeconds}, {@code fuzz.batchSeconds}: the hang bounds per parse (20) and per
 *       analyze command of a batch (120)</li>
 *   <li>{@code fuzz.failures}: where failing mutants are written (target/fuzz-failures)</li>
 * </ul>
 */
record FuzzSettings(long seed, int mutants, Mutator.Scale scale, int batch, Set<Integer> only, Duration parseLimit,
                    Duration batchLimit, Path failures) {

    /**
     * @param defaultMutants and defaultScale apply when fuzz.mutants is not given (the normal
     *     suite); with fuzz.mutants the scale is full unless fuzz.scale says otherwise
     */
    static FuzzSettings fromSystemProperties(int defaultMutants, Mutator.Scale defaultScale) {
        long seed = Long.parseLong(System.getProperty("fuzz.seed", "1"));
        String given = System.getProperty("fuzz.mutants");
        int mutants = given != null ? Integer.parseInt(given) : defaultMutants;
        Mutator.Scale scale = Mutator.Scale.valueOf(System.getProperty("fuzz.scale",
                given != null ? Mutator.Scale.FULL.name() : defaultScale.name()).toUpperCase(java.util.Locale.ROOT));
        int batch = Integer.parseInt(System.getProperty("fuzz.batch", "40"));
        Set<Integer> only = new TreeSet<>();
        String list = System.getProperty("fuzz.only", "").trim();
        if (!list.isEmpty()) {
            Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).forEach(only::add);
        }
        Duration parse = Duration.ofSeconds(Long.parseLong(System.getProperty("fuzz.parseSeconds", "20")));
        Duration batchLimit = Duration.ofSeconds(Long.parseLong(System.getProperty("fuzz.batchSeconds", "120")));
        Path failures = Path.of(System.getProperty("fuzz.failures", "target/fuzz-failures"));
        return new FuzzSettings(seed, mutants, scale, batch, Set.copyOf(only), parse, batchLimit, failures);
    }

    /** The mutant indices this run covers, in order. */
    int[] indices() {
        return only.isEmpty() ? java.util.stream.IntStream.range(0, mutants).toArray()
                : only.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The Maven command that replays some mutants of this run. */
    String replay(String indices) {
        return "mvn -o -B -q test -Dtest=FuzzTest -Dfuzz.seed=" + seed + " -Dfuzz.scale=" + scale.name().toLowerCase(java.util.Locale.ROOT)
                + " -Dfuzz.only=" + indices;
    }
}
