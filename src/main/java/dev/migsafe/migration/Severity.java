package dev.migsafe.migration;

/** How serious a finding is; ordered from least to most. */
public enum Severity {
    INFO, WARNING, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
