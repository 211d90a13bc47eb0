package dev.migsafe.state;

import java.util.Locale;

/** The database a project deploys to: decides column types, locks and the notes findings carry. */
public enum Database {
    POSTGRESQL("postgresql"), MYSQL("mysql"), SQLITE("sqlite");

    private final String label;

    Database(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The database of a configuration value (postgres/postgresql, mysql/mariadb, sqlite/sqlite3), or null. */
    public static Database of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "postgis" -> POSTGRESQL;
            case "mysql", "mariadb" -> MYSQL;
            case "sqlite", "sqlite3" -> SQLITE;
            default -> null;
        };
    }
}
