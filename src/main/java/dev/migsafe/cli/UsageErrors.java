package dev.migsafe.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli cannot read: one line that says what is wrong and where the help is,
 * like every other error of migsafe ("migsafe: unknown option: '--bogus'; see `migsafe analyze
 * --help`"), instead of picocli's message followed by the whole usage (over forty lines, which
 * push the message out of a hook's or a CI log's view). The exit code stays picocli's (2).
 * Lines the fast reader of analyze (AnalyzeArgs) does not fully understand come here too, so the
 * two cannot disagree.
 */
final class UsageErrors {

    private UsageErrors() {}

    static int handle(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        StringBuilder line = new StringBuilder("migsafe: ").append(sentence(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
            }
        }
        line.append("; see `").append(cmd.getCommandSpec().qualifiedName()).append(" --help`");
        PrintWriter err = cmd.getErr();
        err.println(line);
        err.flush();
        CommandLine.IExitCodeExceptionMapper mapper = cmd.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** picocli's message on one line, in the lower case of migsafe's other messages. */
    static String sentence(String message) {
        String s = message == null ? "cannot read the command line" : message.strip().replaceAll("\\s*\\R\\s*", " ");
        if (s.startsWith("Error: ")) {
            s = s.substring("Error: ".length());
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            s = Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
