package dev.migsafe.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.git.LocalFile;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.report.ParseJson;
import dev.migsafe.report.ParseText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `migsafe parse`: the extracted migration model as JSON, for debugging and tooling. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Dump the migration model extracted from files as JSON.",
                "Operands: files, directories (their migration files, recursively) or REV:PATH from git.",
                "Exit code 1 when a file cannot be parsed (each also gets one line on stderr)."})
final class ParseCommand implements Callable<Integer> {

    enum Format { json, jsonl, text }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH|REV:PATH", description = "What to parse.")
    List<String> operands;

    @Option(names = "--format", defaultValue = "json", description = "json (one document), jsonl (one line per file) or text (a summary line per file). Default: ${DEFAULT-VALUE}.")
    Format format;

    @picocli.CommandLine.Mixin
    RepoOptions repoOptions;

    @Override
    public Integer call() throws Exception {
        List<Inputs.Source> sources = Inputs.resolve(operands, repoOptions.repo);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        MigrationReader reader = new MigrationReader();
        ArrayNode files = mapper.createArrayNode();
        boolean failed = false;
        for (Inputs.Source source : sources) {
            MigrationFile file;
            try {
                // Bytes that cannot be read (a pipe, over the size limit) are a finding of the file.
                file = reader.read(source.path(), null, source::bytes);
            } catch (UncheckedIOException e) {
                err.println(source.path() + ": cannot read: " + LocalFile.reason(e.getCause()));
                failed = true;
                continue;
            }
            if (file.error() != null) {
                Diagnostic d = file.error();
                err.println(file.path() + ":" + d.line() + ":" + d.column() + ": " + d.rule() + " " + d.message());
                failed = true;
            }
            if (format == Format.text) {
                out.println(ParseText.summary(file));
                continue;
            }
            ObjectNode record = ParseJson.record(file);
            if (format == Format.jsonl) {
                out.println(mapper.writeValueAsString(record));
            } else {
                files.add(record);
            }
        }
        if (format == Format.json) {
            ObjectNode doc = mapper.createObjectNode();
            doc.put("schema", ParseJson.SCHEMA);
            doc.put("tool", "migsafe " + Version.current());
            doc.set("files", files);
            out.println(mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        }
        out.flush();
        return failed ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
