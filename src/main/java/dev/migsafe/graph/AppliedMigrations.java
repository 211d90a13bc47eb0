package dev.migsafe.graph;

import dev.migsafe.migration.MigrationKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a site's database has applied, read from what a team can get out of it without migsafe
 * touching the database: `manage.py showmigrations` (the list: an app label, then ` [X] name`
 * lines), `manage.py showmigrations --plan` (`[X]  app.name`), or `app,name` lines (a dump of the
 * django_migrations table). The format is recognised per line; blank lines and `#` comments are
 * skipped. A line that is none of them is an error naming its line, never a guess.
 */
public final class AppliedMigrations {

    /** A line the reader cannot take: its 1-based number and why. */
    public static final class BadLine extends Exception {
        private final int line;

        BadLine(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private static final Pattern LIST_ENTRY = Pattern.compile("^\\s+\\[( |X|x)\\]\\s+([A-Za-z0-9_]+)(?:\\s+\\(.*\\))?\\s*$");
    private static final Pattern PLAN_ENTRY = Pattern.compile("^\\[( |X|x)\\]\\s+([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z0-9_]+)(?:\\s+.*)?$");
    private static final Pattern CSV_ENTRY = Pattern.compile("^\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s*[,\\t;|]\\s*\"?([A-Za-z0-9_]+)\"?(?:\\s*[,\\t;|].*)?$");
    private static final Pattern APP_HEADER = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*$");

    private final Set<MigrationKey> applied;
    private final Set<MigrationKey> listed;

    private AppliedMigrations(Set<MigrationKey> applied, Set<MigrationKey> listed) {
        this.applied = applied;
        this.listed = listed;
    }

    /** The applied migrations, in the order the input lists them. */
    public Set<MigrationKey> applied() {
        return applied;
    }

    /** Every migration the input names, applied or not (showmigrations lists unapplied ones too). */
    public Set<MigrationKey> listed() {
        return listed;
    }

    public static AppliedMigrations read(String text) throws BadLine {
        Set<MigrationKey> applied = new LinkedHashSet<>();
        Set<MigrationKey> listed = new LinkedHashSet<>();
        String app = null;
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals("(no migrations)")
                    || trimmed.equalsIgnoreCase("app,name") || trimmed.equalsIgnoreCase("app name")) {
                continue;
            }
            Matcher m;
            if ((m = LIST_ENTRY.matcher(line)).matches()) {
                if (app == null) {
                    throw new BadLine(i + 1, "a showmigrations entry before any app label");
                }
                add(app, m.group(2), !m.group(1).isBlank(), applied, listed);
            } else if ((m = PLAN_ENTRY.matcher(trimmed)).matches()) {
                add(m.group(2), m.group(3), !m.group(1).isBlank(), applied, listed);
            } else if ((m = CSV_ENTRY.matcher(trimmed)).matches()) {
                add(m.group(1), m.group(2), true, applied, listed);
            } else if (!Character.isWhitespace(line.charAt(0)) && (m = APP_HEADER.matcher(line)).matches()) {
                app = m.group(1);
            } else {
                throw new BadLine(i + 1, "not a line of `manage.py showmigrations` (list or --plan) or an `app,name` "
                        + "pair: " + shorten(trimmed));
            }
        }
        return new AppliedMigrations(applied, listed);
    }

    private static void add(String app, String name, boolean isApplied, Set<MigrationKey> applied, Set<MigrationKey> listed) {
        MigrationKey k = new MigrationKey(app, name);
        listed.add(k);
        if (isApplied) {
            applied.add(k);
        }
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The applied migrations of a list, for tests and callers that build one. */
    public static AppliedMigrations of(List<MigrationKey> keys) {
        return new AppliedMigrations(new LinkedHashSet<>(keys), new LinkedHashSet<>(new ArrayList<>(keys)));
    }
}
