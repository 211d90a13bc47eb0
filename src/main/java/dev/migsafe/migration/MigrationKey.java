package dev.migsafe.migration;

/** A migration named by app label and migration name, as in {@code replaces} and {@code run_before}. */
public record MigrationKey(String app, String name) {}
