package dev.migsafe.cli;

import java.io.File;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the command lines that hooks run (`analyze --staged`, `analyze FILE...`, and any other
 * plain `analyze` line) into an {@link AnalyzeCommand} without picocli, whose command model costs
 * a short run more than the analysis of one staged migration (its classes are compiled for Java
 * 5, which class-data sharing cannot archive). It fills exactly the fields picocli would, and
 * gives up (null) on anything it does not fully understand: help and version options, unknown
 * or repeated options, `--`, @argument files, values that start with '-', options of the
 * exclusive group given together, values a converter would refuse. Those lines go to picocli,
 * so every message and exit code stays picocli's. AnalyzeArgsTest holds the two to agreeing.
 */
final class AnalyzeArgs {

    private AnalyzeArgs() {}

    /** The analyze command the arguments describe, or null when picocli must read them. */
    static AnalyzeCommand parse(String[] args) {
        if (args.length == 0 || !args[0].equals("analyze")) {
            return null;
        }
        AnalyzeCommand command = new AnalyzeCommand();
        command.repoOptions = new RepoOptions();
        command.repoOptions.repo = new File(".");
        command.configOptions = new ConfigOptions();
        command.output = new OutputOptions();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.isEmpty() || arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                command.operands.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!seen.add(name)) {
                return null;
            }
            switch (name) {
                case "--staged", "--worktree", "--all", "--debug", "--no-baseline" -> {
                    if (eq >= 0 || !flag(command, name)) {
                        return null;
                    }
                }
                case "--repo", "--config", "--format", "--output", "--fail-on", "--database", "--django",
                        "--baseline", "--default-branch" -> {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        return null;
                    }
                    if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || !option(command, name, value)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return command;
    }

    private static boolean flag(AnalyzeCommand command, String name) {
        switch (name) {
            case "--debug" -> command.repoOptions.debug = true;
            case "--no-baseline" -> command.noBaseline = true;
            default -> {
                // The exclusive group: one of them at most.
                if (command.source != null) {
                    return false;
                }
                command.source = new AnalyzeCommand.Source();
                switch (name) {
                    case "--staged" -> command.source.staged = true;
                    case "--worktree" -> command.source.worktree = true;
                    default -> command.source.all = true;
                }
            }
        }
        return true;
    }

    private static boolean option(AnalyzeCommand command, String name, String value) {
        try {
            switch (name) {
                case "--repo" -> command.repoOptions.repo = new File(value);
                case "--config" -> command.configOptions.file = new File(value);
                case "--format" -> command.output.format = OutputOptions.Format.valueOf(value);
                case "--output" -> command.output.output = new File(value);
                case "--fail-on" -> command.failOn = AnalyzeCommand.FailOn.valueOf(value);
                case "--database" -> command.database = value;
                case "--django" -> command.django = value;
                case "--baseline" -> command.baselineFile = new File(value);
                default -> command.defaultBranch = value;
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false; // not a value of the enum: picocli says which ones are
        }
    }
}
