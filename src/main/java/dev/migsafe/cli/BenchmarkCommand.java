package dev.migsafe.cli;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `migsafe benchmark`: parse speed on a corpus, in one JVM. All files are read into memory first
 * so that only parsing is timed; the first pass is cold (ANTLR's prediction cache and the JIT
 * warm up on it), later passes are warm.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Measure parsing throughput on migration files (read into memory first).",
                "Prints, per pass: files/s, MB/s, LL fallbacks and errors; pass 1 is cold."})
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH|REV:PATH", description = "Files, directories or REV:PATH.")
    List<String> operands;

    @picocli.CommandLine.Mixin
    RepoOptions repoOptions;

    @Option(names = "--passes", defaultValue = "5", description = "How many passes over the corpus. Default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(names = "--syntax-only", description = "Time only the syntax tree, not the migration model.")
    boolean syntaxOnly;

    @Override
    public Integer call() {
        if (passes < 1) {
            throw new UserError("--passes must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Inputs.Source> sources = Inputs.resolve(operands, repoOptions.repo);
        List<byte[]> data = new ArrayList<>(sources.size());
        long bytes = 0;
        for (Inputs.Source s : sources) {
            byte[] b;
            try {
                b = s.bytes();
            } catch (dev.migsafe.git.LocalFile.Unreadable e) {
                throw new UserError(e.getMessage() + " (a benchmark corpus holds readable files only)");
            }
            data.add(b);
            bytes += b.length;
        }
        out.printf("corpus: %d files, %.2f MB; measuring %s%n", data.size(), bytes / 1e6,
                syntaxOnly ? "syntax trees" : "syntax trees + migration model");
        ModuleParser parser = new ModuleParser();
        MigrationReader reader = new MigrationReader(parser);
        for (int pass = 1; pass <= passes; pass++) {
            int errors = 0;
            int ll = 0;
            long start = System.nanoTime();
            for (int i = 0; i < data.size(); i++) {
                String path = sources.get(i).path();
                if (syntaxOnly) {
                    ModuleParser.Parsed p = parser.parse(data.get(i), path);
                    errors += p.ok() ? 0 : 1;
                    ll += p.usedLl() ? 1 : 0;
                } else {
                    MigrationFile f = reader.read(path, data.get(i));
                    errors += f.status() == MigrationFile.Status.ERROR ? 1 : 0;
                    ll += f.usedLlFallback() ? 1 : 0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("pass %d%s: %.3f s, %.0f files/s, %.2f MB/s, LL fallbacks %d, errors %d%n", pass,
                    pass == 1 ? " (cold)" : " (warm)", seconds, data.size() / seconds, bytes / 1e6 / seconds, ll, errors);
            out.flush();
        }
        Runtime rt = Runtime.getRuntime();
        out.printf("heap in use after the passes: %.0f MB%n", (rt.totalMemory() - rt.freeMemory()) / 1e6);
        out.flush();
        return ExitCodes.OK;
    }
}
