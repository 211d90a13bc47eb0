package dev.migsafe.cli;

import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import java.io.File;
import picocli.CommandLine.Option;

/** Options every repository command shares. */
final class RepoOptions {

    @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
            description = "The repository to read (any directory inside it). Default: the current directory.")
    File repo;

    // Declared so that every command accepts it; Main reads it from the raw arguments, since an
    // error may happen before picocli has bound options.
    @Option(names = "--debug", description = "Show stack traces of internal errors.")
    boolean debug;

    GitRepository open() {
        try {
            return GitRepository.open(RunContext.current().resolve(repo));
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        }
    }
}
