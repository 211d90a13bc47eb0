package dev.migsafe.report;

import dev.migsafe.graph.UpgradePlan;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Stage;
import java.util.List;

/**
 * `migsafe plan --format shell`: a POSIX script with `set -eu` that a team's upgrade script calls
 * per site. It runs the pre-deploy steps, then the rollout (`--rollout-command`, or it stops at
 * a marked place and the post-deploy steps run with `sh plan.sh post`), then the post-deploy
 * steps; when a step fails it prints the commands back to FROM. `sh plan.sh back N` prints them
 * for step N without running anything. Django's command is `$MANAGE` (default
 * `python manage.py`), so the script runs from the project's directory or wherever MANAGE says.
 */
public final class PlanScript {

    private PlanScript() {}

    public static String render(PlanReport.Site s, String to, String rolloutCommand) {
        UpgradePlan p = s.plan();
        StringBuilder out = new StringBuilder();
        out.append("#!/bin/sh\n");
        out.append("# migsafe plan for ").append(oneLine(s.name())).append(": ").append(oneLine(s.from())).append(" -> ")
                .append(oneLine(to)).append(", ").append(p.order().size()).append(" migrations\n");
        out.append("# Usage: sh THIS [pre|post|all|back N]   (default: all; MANAGE overrides `python manage.py`)\n");
        out.append("set -eu\n");
        out.append("MANAGE=${MANAGE:-python manage.py}\n");
        out.append("phase=${1:-all}\n");
        out.append("step=0\n\n");
        out.append("way_back() {\n    case \"$1\" in\n");
        for (UpgradePlan.Step step : p.steps()) {
            out.append("    ").append(step.number()).append(")\n");
            for (String c : p.wayBack(step.number())) {
                out.append("        echo \"  ").append(manage(c).replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("`", "\\`").replace("$MANAGE", "\u0000").replace("$", "\\$").replace("\u0000", "$MANAGE"))
                        .append("\"\n");
            }
            List<MigrationKey> stuck = p.appliedBy(step.number()).stream().filter(s.irreversible()::contains).toList();
            if (!stuck.isEmpty()) {
                out.append("        echo \"  (").append(keys(stuck)).append(" cannot be unapplied: restore the backup taken ")
                        .append("before step ").append(s.backupBefore()).append(")\"\n");
            }
            out.append("        ;;\n");
        }
        out.append("    *) echo \"  nothing was applied\" ;;\n    esac\n}\n\n");
        out.append("if [ \"$phase\" = back ]; then\n    way_back \"${2:-0}\"\n    exit 0\nfi\n\n");
        out.append("failed() {\n    code=$?\n    if [ \"$code\" -ne 0 ] && [ \"$step\" -ne 0 ]; then\n")
                .append("        echo \"migsafe plan: step $step failed; to take the database back to ")
                .append(oneLine(s.from()).replace("\"", "'")).append(", run:\" >&2\n")
                .append("        way_back \"$step\" >&2\n    fi\n}\ntrap failed EXIT\n\n");
        if (!p.ahead().isEmpty()) {
            out.append("echo \"migsafe plan: the database has migrations ").append(oneLine(to)).append(" does not (")
                    .append(keys(p.ahead())).append("): unapply them first\" >&2\nexit 1\n\n");
        }
        if (s.backupBefore() > 0) {
            out.append("# Take a backup before step ").append(s.backupBefore()).append(": ").append(keys(s.irreversible()))
                    .append(" cannot be unapplied.\n");
        }
        out.append("if [ \"$phase\" = all ] || [ \"$phase\" = pre ]; then\n");
        for (UpgradePlan.Step step : p.steps()) {
            if (step.stage() == Stage.PRE_DEPLOY) {
                out.append("    step=").append(step.number()).append("; ").append(manage(step.command())).append('\n');
            }
        }
        out.append("    :\nfi\n\n");
        out.append("# ---- the rollout of ").append(oneLine(to)).append("'s code goes here ----\n");
        out.append("if [ \"$phase\" = all ]; then\n");
        if (rolloutCommand != null) {
            out.append("    step=0; ").append(rolloutCommand).append('\n');
        } else {
            out.append("    step=0\n    echo \"migsafe plan: deploy ").append(oneLine(to)).append("'s code now, then run: sh $0 post\"\n")
                    .append("    exit 0\n");
        }
        out.append("fi\n\n");
        out.append("if [ \"$phase\" = all ] || [ \"$phase\" = post ]; then\n");
        for (UpgradePlan.Step step : p.steps()) {
            if (step.stage() == Stage.POST_DEPLOY) {
                out.append("    step=").append(step.number()).append("; ").append(manage(step.command())).append('\n');
            }
        }
        out.append("    :\nfi\nstep=0\n");
        return out.toString();
    }

    /**
     * "python manage.py migrate x y" -> "$MANAGE migrate x y", each argument single-quoted unless it
     * is a plain name (migration file names come from the repository: never shell syntax).
     */
    private static String manage(String command) {
        String[] words = command.substring("python manage.py ".length()).split(" ");
        StringBuilder out = new StringBuilder("$MANAGE");
        for (String w : words) {
            out.append(' ').append(w.matches("[A-Za-z0-9_.-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return out.toString();
    }

    /** Migration names for a comment or an echo: anything but a plain name's characters becomes "_". */
    private static String keys(List<MigrationKey> ks) {
        StringBuilder out = new StringBuilder();
        for (MigrationKey k : ks) {
            out.append(out.length() == 0 ? "" : ", ").append((k.app() + "." + k.name()).replaceAll("[^A-Za-z0-9_.-]", "_"));
        }
        return out.toString();
    }

    /** Text from the repository or the command line, safe inside a comment or a double-quoted string. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n`$\\\\\"]", "_");
    }
}
