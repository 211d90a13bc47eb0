package dev.migsafe.rules.sql;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * L216: a migration that takes ACCESS EXCLUSIVE on an existing table with no lock_timeout known to
 * be in effect. While it waits for transactions already running on the table, every later query
 * of that table queues behind it: a brief catalog change becomes an outage of the table.
 */
public final class LockTimeout extends MigrationRule {

    private static final Pattern ACCESS_EXCLUSIVE = Pattern.compile("^ACCESS EXCLUSIVE on (the table of index \\S+|\\S+?)[,\\s(]");

    public LockTimeout() {
        super(RuleInfo.of("L216", "lock-timeout", Severity.WARNING)
                .summary("A migration takes ACCESS EXCLUSIVE on an existing table with no lock_timeout: while it waits, every query of the table waits behind it.")
                .why("""
                        ACCESS EXCLUSIVE conflicts with every other lock, including the ACCESS SHARE of a plain
                        SELECT. Before the migration gets it, it waits for every transaction that already
                        touched the table (a long report, an idle-in-transaction connection); and while it
                        waits, every later query of that table queues behind it. So even a catalog-only change
                        (ADD COLUMN, DROP COLUMN, SET DEFAULT, a rename) can stop all traffic to the table for
                        as long as the longest running transaction. A lock_timeout makes the migration give up
                        instead (and be retried), so the queue never builds. Reported once per migration,
                        naming its tables, unless a timeout is known to be in effect: SET lock_timeout in the
                        migration's SQL, the `lock-timeout` configuration key (when your deploy sets it),
                        `-c lock_timeout=...` in the settings' DATABASES OPTIONS, or a database backend that
                        sets one (django-pg-zero-downtime-migrations with ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT).
                        Tables the analysed range creates are not counted.""")
                .example("""
                        class Migration(migrations.Migration):
                            operations = [migrations.RemoveField("order", "note")]""")
                .instead("""
                        Set a lock_timeout for migrations and retry on timeout:
                            DATABASES["default"]["OPTIONS"] = {"options": "-c lock_timeout=5s"}
                        in the settings `migrate` runs with; or as the migration's first operation
                            migrations.RunSQL("SET lock_timeout = '5s'", migrations.RunSQL.noop)
                        or django-pg-zero-downtime-migrations (ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT). If your
                        deploy sets it outside the code, declare it: `lock-timeout = "5s"` in [tool.migsafe]."""));
    }

    @Override
    public void check(MigrationContext mc) {
        if (mc.settings().database() != dev.migsafe.state.Database.POSTGRESQL || sqlTimeout(mc)) {
            return;
        }
        Set<String> tables = new LinkedHashSet<>();
        boolean rawSql = false;
        for (int i = 0; i < mc.operations().size(); i++) {
            for (String lock : mc.locks(i)) {
                Matcher m = ACCESS_EXCLUSIVE.matcher(lock + " ");
                if (m.find()) {
                    tables.add(m.group(1));
                    String type = mc.operations().get(i).type();
                    rawSql |= "RunSQL".equals(type) || "RunPython".equals(type) || "SeparateDatabaseAndState".equals(type);
                }
            }
        }
        if (tables.isEmpty() || LockTimeoutSettings.of(mc.settings(), rawSql) != null) {
            return;
        }
        String list = String.join(", ", tables);
        mc.report(this, mc.migration().line(), mc.migration().column(), null, mc.app() + "." + mc.name()
                + " takes ACCESS EXCLUSIVE on " + list + " with no lock_timeout known to be in effect: while it waits for "
                + "transactions already running on " + (tables.size() > 1 ? "them" : "it") + ", every later query of "
                + list + " queues behind it", "set a lock_timeout for migrations and retry when it expires: "
                + "DATABASES[\"default\"][\"OPTIONS\"] = {\"options\": \"-c lock_timeout=5s\"} in the settings migrate runs "
                + "with, or migrations.RunSQL(\"SET lock_timeout = '5s'\", migrations.RunSQL.noop) as the first operation; "
                + "if your deploy already sets it, declare `lock-timeout = \"5s\"` in [tool.migsafe]");
    }

    /** Whether the migration's own SQL sets a lock_timeout (0 turns it off). */
    private static boolean sqlTimeout(MigrationContext mc) {
        String sql = mc.sqlLockTimeout();
        return sql != null && !sql.strip().equals("0") && !sql.strip().equals("'0'");
    }
}
