package dev.migsafe.rules;

import dev.migsafe.deployed.DeployedCode;
import dev.migsafe.migration.Finding;
import dev.migsafe.state.ProjectState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a {@link ProjectRule} sees: the state every migration of the head leaves, the head's own
 * code read statically, and the apps whose models modules the analysed range changed (only those
 * are judged: the models of an app the range does not touch are not the change under review).
 */
public final class ProjectCheck {

    private final ProjectState state;
    private final DeployedCode head;
    private final Set<String> changedApps;
    private final List<Finding> findings = new ArrayList<>();

    ProjectCheck(ProjectState state, DeployedCode head, Set<String> changedApps) {
        this.state = state;
        this.head = head;
        this.changedApps = changedApps;
    }

    public ProjectState state() {
        return state;
    }

    /** The head's code (models modules read as for the deployed code). */
    public DeployedCode head() {
        return head;
    }

    public Set<String> changedApps() {
        return changedApps;
    }

    public void report(Rule rule, String path, int line, String app, String message, String fix) {
        findings.add(new Finding(rule.id(), rule.info().severity(), path, line, 1, app, null, message, fix));
    }

    List<Finding> findings() {
        return findings;
    }
}
