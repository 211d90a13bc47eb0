package dev.migsafe.rules;

/** A rule about the project as the head leaves it (its models against its replayed migrations), run once per analysis. */
public interface ProjectRule {

    void judge(ProjectCheck check);
}
