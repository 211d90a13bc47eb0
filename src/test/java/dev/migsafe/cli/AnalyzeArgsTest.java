package dev.migsafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * AnalyzeArgs against picocli: every command line the fast reader accepts, picocli accepts too and
 * fills the same fields; every line picocli refuses or answers with help, the fast reader leaves
 * to picocli.
 */
class AnalyzeArgsTest {

    /** Every token a command line is built from here: options in both forms, good and bad values. */
    private static final List<List<String>> TOKENS = List.of(
            List.of("--staged"), List.of("--worktree"), List.of("--all"), List.of("--debug"), List.of("--no-baseline"),
            List.of("--staged=true"), List.of("--repo", "sub dir"), List.of("--repo=."), List.of("--config", "pyproject.toml"),
            List.of("--config=cfg.toml"), List.of("--format", "json"), List.of("--format=sarif"), List.of("--format", "JSON"),
            List.of("--format", "nope"), List.of("--output", "out/report.json"), List.of("--output=r.txt"),
            List.of("--fail-on", "warning"), List.of("--fail-on=never"), List.of("--fail-on", "Warning"),
            List.of("--database", "mysql"), List.of("--database=sqlite"), List.of("--database", "oracle"),
            List.of("--django", "5.1"), List.of("--django=4.2"), List.of("--baseline", ".migsafe-baseline.json"),
            List.of("--baseline=b.json"), List.of("--default-branch", "origin/main"), List.of("--default-branch=develop"),
            List.of("app/migrations/0002_x.py"), List.of("shop/orders/migrations/0001_initial.py"), List.of("main...feature"),
            List.of("HEAD~1..HEAD"), List.of("help"), List.of("analyze"), List.of("rules"),
            List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"), List.of("--"), List.of("-"),
            List.of("--unknown"), List.of("-x"), List.of("@args.txt"), List.of("--database", "--staged"),
            List.of("--database"), List.of("--output", "-"), List.of("--database="), List.of("--django", "help"),
            List.of("--repo", "analyze"), List.of("--format", "text"), List.of("--format", "github"),
            List.of("--format", "markdown"), List.of("--fail-on", "error"), List.of(""));

    @Test
    void bothReadersAgreeOnEveryLineTheFastOneAccepts() {
        // Every token alone, every pair of the first twenty (both orders), and random longer lines:
        // picocli builds its whole model for each line, so not every combination of all tokens.
        Set<List<String>> lines = new LinkedHashSet<>();
        lines.add(List.of("analyze"));
        for (List<String> a : TOKENS) {
            lines.add(line(a));
        }
        for (List<String> a : TOKENS.subList(0, 20)) {
            for (List<String> b : TOKENS.subList(0, 20)) {
                lines.add(line(a, b));
            }
        }
        Random random = new Random(9);
        for (int n = 0; n < 400; n++) {
            int size = 2 + random.nextInt(5);
            List<List<String>> parts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                parts.add(TOKENS.get(random.nextInt(TOKENS.size())));
            }
            lines.add(line(parts.toArray(List[]::new)));
        }
        int fast = 0;
        for (List<String> line : lines) {
            String[] args = line.toArray(String[]::new);
            String picocli = picocli(args);
            AnalyzeCommand command = AnalyzeArgs.parse(args);
            if (command != null) {
                fast++;
                assertEquals(picocli, describe(command), String.join(" ", line));
            }
        }
        // The fast reader takes a good share of them (the valid ones without help or repeats).
        assertEquals(true, fast > 200, "fast lines: " + fast);
    }

    @Test
    void whatHooksRunIsReadWithoutPicocli() {
        for (String[] args : List.of(new String[] {"analyze", "--staged"},
                new String[] {"analyze", "shop/orders/migrations/0008_x.py", "shop/orders/migrations/0009_y.py"},
                new String[] {"analyze", "--fail-on", "warning", "--format=github", "a/migrations/0001_initial.py"},
                new String[] {"analyze", "--staged", "--repo", "../project", "--config", "ci/migsafe.toml", "--debug"})) {
            AnalyzeCommand command = AnalyzeArgs.parse(args);
            assertNotNull(command, String.join(" ", args));
            assertEquals(picocli(args), describe(command));
        }
        String staged = describe(AnalyzeArgs.parse(new String[] {"analyze", "--staged"}));
        assertTrue(staged.contains("repoOptions.repo=.\n") && staged.contains("source.staged=true\n")
                && staged.contains("output.format=null\n") && staged.contains("failOn=null\n"), staged);
    }

    @Test
    void otherCommandsHelpAndMistakesGoToPicocli() {
        for (String[] args : List.of(new String[] {}, new String[] {"rules"}, new String[] {"--version"},
                new String[] {"analyze", "--help"}, new String[] {"analyze", "--staged", "--all"},
                new String[] {"analyze", "--staged", "--staged"}, new String[] {"analyze", "--format", "yaml"},
                new String[] {"analyze", "--database"}, new String[] {"analyze", "--bogus"},
                new String[] {"analyze", "@options"}, new String[] {"analyze", "--", "--staged"})) {
            assertNull(AnalyzeArgs.parse(args), String.join(" ", args));
        }
    }

    @SafeVarargs
    private static List<String> line(List<String>... parts) {
        List<String> out = new ArrayList<>(List.of("analyze"));
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    /** What picocli makes of the line: the fields of the analyze command, or why it did not get one. */
    private static String picocli(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.ParseResult result;
        try {
            result = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return "refused: " + e.getMessage();
        }
        if (result.subcommand() == null) {
            return "no analyze command";
        }
        if (result.subcommand().isUsageHelpRequested() || result.subcommand().isVersionHelpRequested()) {
            return "help";
        }
        return describe((AnalyzeCommand) result.subcommand().commandSpec().userObject());
    }

    /**
     * Every instance field of the command and of its option holders (mixins, the exclusive group),
     * found by reflection: an option added later, with a default picocli fills in, shows here too.
     */
    private static String describe(AnalyzeCommand c) {
        StringBuilder out = new StringBuilder();
        describe(c, "", out);
        return out.toString();
    }

    private static void describe(Object o, String prefix, StringBuilder out) {
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.getName().equals("spec") || f.getName().equals("out")) {
                continue;
            }
            f.setAccessible(true);
            Object value;
            try {
                value = f.get(o);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            String name = prefix + f.getName();
            if (value != null && value.getClass().getPackageName().equals(AnalyzeCommand.class.getPackageName())
                    && !value.getClass().isEnum()) {
                describe(value, name + ".", out);
            } else {
                out.append(name).append('=').append(value instanceof File file ? path(file) : String.valueOf(value)).append('\n');
            }
        }
    }

    private static String path(File f) {
        return f == null ? "null" : f.getPath();
    }
}
