package dev.migsafe.cli;

import java.util.List;
import java.util.stream.Collectors;

/** The text of the git hooks that `migsafe hook install` writes (POSIX sh, as git runs hooks). */
final class HookScripts {

    private HookScripts() {}

    /** @param launcher the command that starts migsafe, absolute paths first */
    static String script(String name, List<String> launcher) {
        String command = launcher.stream().map(HookScripts::quote).collect(Collectors.joining(" "));
        String program = quote(launcher.get(0));
        String header = "#!/bin/sh\n"
                + HookCommand.MARKER + ": " + name + ", written by `migsafe hook install`; delete this file to remove it.\n";
        String missing = "echo \"migsafe hook: " + launcher.get(0).replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`")
                + " is gone and migsafe is not on PATH; run \\`migsafe hook install\\` again\" >&2\n";
        if (name.equals("pre-push")) {
            return header
                    + "# For each pushed commit, analyses the migrations it adds against the default branch\n"
                    + "# (`migsafe analyze DEFAULT...COMMIT`); findings at or above fail-on refuse the push\n"
                    + "# (`git push --no-verify` skips this hook).\n"
                    + "set -u\n"
                    + "if [ -x " + program + " ]; then\n"
                    + "    run() { " + command + " \"$@\"; }\n"
                    + "elif command -v migsafe >/dev/null 2>&1; then\n"
                    + "    run() { migsafe \"$@\"; }\n"
                    + "else\n"
                    + "    " + missing
                    + "    exit 1\n"
                    + "fi\n"
                    + "status=0\n"
                    + "while read -r local_ref local_sha remote_ref remote_sha; do\n"
                    + "    case \"$local_sha\" in *[!0]*) ;; *) continue ;; esac # deleting a branch pushes nothing\n"
                    + "    run analyze \"$local_sha\" </dev/null || status=$?\n"
                    + "done\n"
                    + "exit $status\n";
        }
        return header
                + "# Analyses the staged migrations (`migsafe analyze --staged`); findings at or above\n"
                + "# fail-on refuse the commit (`git commit --no-verify` skips this hook).\n"
                + "set -u\n"
                + PRE_FILTER
                + "if [ -x " + program + " ]; then\n"
                + "    exec " + command + " analyze --staged\n"
                + "elif command -v migsafe >/dev/null 2>&1; then\n"
                + "    exec migsafe analyze --staged\n"
                + "fi\n"
                + missing
                + "exit 1\n";
    }

    /**
     * The pre-commit hook's first lines: a commit that touches no migration never starts the JVM.
     * Migrations lie below a migrations/ folder unless the configuration's `include` or the
     * settings' MIGRATION_MODULES put them elsewhere. Both are looked up when the hook runs, not
     * when it is installed (a hook written before an `include` was added must not skip the
     * migrations it names): an `include` key in migsafe's table of .migsafe.toml or
     * pyproject.toml, or MIGRATION_MODULES in a tracked settings module, and any staged Python
     * file starts migsafe, which applies the configuration exactly. The look-up costs a few
     * milliseconds, and only for commits with Python files and none below a migrations/ folder.
     */
    static final String PRE_FILTER = """
            # A commit that touches no migration never starts the JVM. Migrations lie below a migrations/
            # folder, unless the configuration's `include` or the settings' MIGRATION_MODULES put them
            # elsewhere: then any staged Python file may be one, and migsafe decides.
            staged=$(git diff --cached --name-only --no-renames -z | tr '\\000' '\\n')
            if ! printf '%s\\n' "$staged" | grep -Eq '(^|/)migrations/.*[.]py$'; then
                printf '%s\\n' "$staged" | grep -Eq '[.]py$' || exit 0
                elsewhere=no
                for config in .migsafe.toml pyproject.toml; do
                    [ -f "$config" ] || continue
                    case "$config" in .migsafe.toml) top=1 ;; *) top=0 ;; esac
                    if awk -v t="$top" '
                        /^[[:space:]]*\\[/ { h = $0; gsub(/[[:space:]"]/, "", h); t = (h ~ /^\\[tool\\.migsafe\\]/) }
                        t && /^[[:space:]]*"?include"?[[:space:]]*=/ { found = 1 }
                        /^[[:space:]]*(tool\\.)?migsafe\\.include[[:space:]]*=/ { found = 1 }
                        END { exit !found }' "$config"; then
                        elsewhere=yes
                    fi
                done
                [ "$elsewhere" = yes ] || git grep -q -e MIGRATION_MODULES -- '*settings*.py' '*/settings/*.py' 2>/dev/null || exit 0
            fi
            """;

    /** One word for sh: single quotes, with each ' written as '\''. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
