package dev.migsafe.rules;

/**
 * A rule that judges SQL statements (RunSQL's sql and reverse_sql, SQL that RunPython runs) one
 * change at a time. Rules that judge Django's operations judge SQL through the equivalent
 * operation ({@link SqlOrigin}); a rule implements this for what only SQL does, or does
 * differently (a trigger, TRUNCATE, CONCURRENTLY inside a transaction, a reverse that drops a column).
 */
public interface JudgesSql {

    void checkSql(SqlContext ctx);
}
