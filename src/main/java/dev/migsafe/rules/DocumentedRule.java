package dev.migsafe.rules;

/** A rule whose findings come from parsing or the graph; the class carries its documentation. */
public class DocumentedRule extends Rule {

    public DocumentedRule(RuleInfo info) {
        super(info);
    }
}
