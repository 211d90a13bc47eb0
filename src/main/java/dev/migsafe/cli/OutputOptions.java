package dev.migsafe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.migsafe.env.RunContext;
import dev.migsafe.report.AnalyzeReport;
import dev.migsafe.report.GithubReport;
import dev.migsafe.report.GitlabReport;
import dev.migsafe.report.MarkdownReport;
import dev.migsafe.report.Printable;
import dev.migsafe.report.SarifReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** `--format` and `--output` of `analyze`: which rendering of the report, and where it goes. */
final class OutputOptions {

    enum Format { text, json, sarif, github, markdown, gitlab }

    /** Reads the environment; tests replace it to play GitHub Actions. */
    static UnaryOperator<String> environment = name -> RunContext.current().getenv(name);

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text, json, sarif, github, markdown or gitlab (Code Quality). Default: text, or github when GITHUB_ACTIONS=true.")
    Format format;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the report to FILE (parent folders are created) instead of standard output.")
    File output;

    /** The format given, else github inside a GitHub Actions job (its annotations need nothing more), else text. */
    Format format() {
        if (format != null) {
            return format;
        }
        return "true".equals(environment.apply("GITHUB_ACTIONS")) ? Format.github : Format.text;
    }

    String render(AnalyzeReport report) throws IOException {
        return switch (format()) {
            case text -> report.text();
            case json -> pretty(report.json()) + "\n";
            case sarif -> pretty(new SarifReport(report).json()) + "\n";
            case github -> GithubReport.render(report);
            case markdown -> MarkdownReport.render(report);
            case gitlab -> pretty(GitlabReport.json(report)) + "\n";
        };
    }

    private static String pretty(Object json) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
    }

    /** Prints the document, or writes it to --output. */
    void emit(String document, PrintWriter out) {
        if (output == null) {
            out.print(document);
            out.flush();
            return;
        }
        Path file = RunContext.current().resolve(output.toPath());
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            // Escaped as standard output is (Main): the file is read in a terminal or posted as a comment.
            Files.writeString(file, Printable.escape(document), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            throw new UserError("cannot write --output " + output + ": " + IoErrors.reason(e));
        }
    }
}
