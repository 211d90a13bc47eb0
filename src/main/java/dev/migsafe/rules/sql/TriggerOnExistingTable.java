package dev.migsafe.rules.sql;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.rules.JudgesSql;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.rules.SqlContext;
import dev.migsafe.sql.DbChange;
import java.util.regex.Pattern;

/**
 * C119: a trigger on a table old code writes, whose function can reject those writes (RAISE an
 * exception, or RETURN NULL from a BEFORE row trigger, which silently drops the row). A trigger
 * whose function the analysed range creates and that does neither (it fills a search vector,
 * stamps a column) is compatible; one whose function migsafe cannot read is a review.
 */
public final class TriggerOnExistingTable extends Rule implements JudgesSql {

    /** RAISE without a level is EXCEPTION; NOTICE, WARNING, INFO, LOG and DEBUG only report. */
    private static final Pattern RAISES = Pattern.compile("(?i)\\bRAISE\\b(?!\\s+(NOTICE|WARNING|INFO|LOG|DEBUG)\\b)");
    private static final java.util.Set<String> BUILT_IN = java.util.Set.of("tsvector_update_trigger",
            "tsvector_update_trigger_column", "suppress_redundant_updates_trigger");
    private static final Pattern RETURNS_NULL = Pattern.compile("(?i)\\bRETURN\\s+NULL\\b");

    public TriggerOnExistingTable() {
        super(RuleInfo.classifying("C119", "trigger-rejects-writes", DeployClass.TWO_PHASE)
                .summary("CREATE TRIGGER on a table old code writes, with a function that can reject or drop its writes.")
                .why("""
                        A trigger runs for every write, old code's included. A function that raises an exception
                        (RAISE, RAISE EXCEPTION) turns writes that old code still makes into errors during the
                        rollout; a BEFORE ROW trigger that returns NULL drops the row without an error, which is
                        worse. migsafe reads the function when the analysed range creates it (CREATE FUNCTION in
                        the same or an earlier migration of the range): one that does neither — it fills a
                        search vector, stamps a column, writes an audit row — is compatible and not reported.
                        When the function is not in the range, what it does cannot be told: review. TRUNCATE
                        triggers and triggers on tables the range creates are not reported. Creating a trigger
                        takes SHARE ROW EXCLUSIVE on the table: brief, but writes wait behind it.""")
                .example("""
                        migrations.RunSQL(\"""
                            CREATE FUNCTION order_total_guard() RETURNS trigger AS $$
                            BEGIN
                                IF NEW.total < 0 THEN RAISE EXCEPTION 'negative total'; END IF;
                                RETURN NEW;
                            END $$ LANGUAGE plpgsql;
                            CREATE TRIGGER order_total_guard BEFORE INSERT OR UPDATE ON shop_order
                                FOR EACH ROW EXECUTE FUNCTION order_total_guard();
                        \""", reverse_sql="DROP TRIGGER order_total_guard ON shop_order")""")
                .instead("""
                        Two releases, as for a CHECK constraint (C110): (1) make the code comply (never write
                        what the trigger rejects) and fix existing rows; (2) create the trigger. Or create it
                        first with RAISE WARNING instead of RAISE EXCEPTION, watch the logs for a release, then
                        make it strict."""));
    }

    @Override
    public void checkSql(SqlContext ctx) {
        DbChange c = ctx.change();
        if (ctx.reverse() || c.kind() != DbChange.Kind.CREATE_TRIGGER || !ctx.existingTable()) {
            return;
        }
        if (c.columns().stream().allMatch("TRUNCATE"::equals)) {
            return;
        }
        if (c.detail() != null && BUILT_IN.contains(c.detail().toLowerCase(java.util.Locale.ROOT).replace("pg_catalog.", ""))) {
            return; // PostgreSQL's own trigger functions: they fill a tsvector or skip no-op updates, never reject
        }
        String body = ctx.memory().functionBody(c.detail());
        String on = "trigger " + c.name() + " on " + ctx.table() + " (" + String.join(" OR ", c.columns()) + ")";
        String fix = "release 1: make the code comply with what " + c.detail() + "() enforces and fix existing rows; "
                + "release 2: create the trigger (or create it first with RAISE WARNING and make it strict later)";
        if (body == null) {
            ctx.report(this, DeployClass.REVIEW, on + " runs " + c.detail() + "(), a function the analysed range does not "
                    + "create, so whether it rejects old code's writes cannot be told", fix);
            return;
        }
        boolean raises = RAISES.matcher(body).find();
        boolean drops = c.has(DbChange.Flag.BEFORE) && c.has(DbChange.Flag.ROW_LEVEL) && RETURNS_NULL.matcher(body).find();
        if (raises || drops) {
            ctx.report(this, on + " runs " + c.detail() + "(), which " + (raises ? "raises an exception" : "returns NULL")
                    + (raises && drops ? " or returns NULL" : "") + ": old code still running during the rollout gets "
                    + (raises ? "errors on writes it makes today" : "its rows silently dropped"), fix);
        }
    }
}
