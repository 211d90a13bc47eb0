package dev.migsafe.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migsafe.rules.locks.PgFacts;
import dev.migsafe.rules.locks.PgFacts.Action;
import dev.migsafe.rules.locks.PgFacts.Fact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/lock-facts.md is generated from {@link PgFacts}, whose every fact LockFactsTest proves on a
 * real server: this test (which needs no server) fails when the page is stale. Regenerate with
 * `mvn test -Dtest=LockFactsDocTest -Dmigsafe.writeDocs=true`.
 */
class LockFactsDocTest {

    private static final Path PAGE = Path.of("docs", "lock-facts.md");

    @Test
    void thePageMatchesTheCatalogue() throws IOException {
        String expected = markdown();
        if (Boolean.getBoolean("migsafe.writeDocs")) {
            Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
            return;
        }
        String actual = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
        assertEquals(expected, actual, PAGE + " is stale: regenerate with -Dtest=LockFactsDocTest -Dmigsafe.writeDocs=true");
    }

    static String markdown() {
        StringBuilder out = new StringBuilder("""
                # PostgreSQL lock facts

                <!-- Generated from src/main/java/dev/migsafe/rules/locks/PgFacts.java by LockFactsDocTest;
                     regenerate with: mvn test -Dtest=LockFactsDocTest -Dmigsafe.writeDocs=true -->

                What PostgreSQL does for each action migsafe judges, as `PgFacts` states it and as
                `LockFactsTest` proves it: every sample statement below runs on a real server (the one
                `.ci/run` installs: Debian's `postgresql`) against tables of 1,000 rows, and the test fails,
                naming the action, when the server does anything else. The lock descriptions migsafe prints
                for PostgreSQL take their modes from the same catalogue, and `DjangoLockClaimsTest` runs the
                SQL Django's schema editor emits for each kind of Django operation (AddField in its forms,
                AlterField, RemoveField, indexes, constraints, model renames and deletions) on the same
                server and compares, table by table, the strongest lock, the rewrite and the full read with
                what migsafe says about that operation. Without PostgreSQL both tests are skipped and say
                why; `migsafe.pg.url` (or `MIGSAFE_PG_URL`) points them at a running server instead of the
                throwaway cluster they start.

                How each column is observed:

                - **Lock**: the strongest mode the statement's session holds (`pg_locks`, by object id) on
                  what **On** names: the table `t` the statement names, the existing table `r` a new table's
                  foreign key references, an index, or a type. Statements that cannot run in a transaction
                  (CONCURRENTLY, VACUUM) run while another session makes them wait midway, and the mode they
                  hold or ask for then is read.
                - **Rewrites**: `pg_class.relfilenode` changes and the rows are still there (TRUNCATE gets new,
                  empty storage: not a rewrite).
                - **Reads all rows**: the statistics count at least 1,000 tuples read from the table
                  (validation, an index build, a rewrite).
                - **Blocks reads / writes**: while the lock is held, another session's `SELECT` / `INSERT` or
                  `UPDATE` of another row on the table gives up on a 100 ms `lock_timeout`.
                - **Referenced table**: the lock also taken on `r` when `t` has, gains or loses a foreign key
                  to it (none for the others: the test checks that too).
                - **Since**: the first major version the fact holds in; empty: every version Django supports.
                  The suite checks the gated facts on the server's version (15 on Debian 12) and skips a fact
                  whose version is newer than the server. Before the gate: ADD COLUMN with a default rewrote
                  the table (< 11); SET NOT NULL scanned despite a valid CHECK (< 12); ALTER TYPE ... ADD VALUE
                  could not run in a transaction (< 12); REINDEX CONCURRENTLY and stored generated columns
                  did not exist (< 12).

                The sample tables: `t (id bigint PRIMARY KEY, n integer, v varchar(10), s text, ref bigint,
                m mood)` with index `t_n_idx`, `r (id bigint PRIMARY KEY, label text)`, an enum type `mood`,
                a trigger function `touch()`; what a sample needs first (a constraint to validate, an index
                to attach) is created before it runs.

                | Action | Sample statement | Lock | On | Rewrites | Reads all rows | Blocks reads | Blocks writes | Referenced table | Since | Note |
                |---|---|---|---|---|---|---|---|---|---|---|
                """);
        for (Action a : Action.values()) {
            Fact f = a.fact();
            out.append("| ").append(a.name())
                    .append(" | `").append(f.sql()).append('`')
                    .append(" | ").append(f.lock())
                    .append(" | ").append(on(f.on()))
                    .append(" | ").append(yes(f.rewrites()))
                    .append(" | ").append(yes(f.scans()))
                    .append(" | ").append(yes(f.blocksReads()))
                    .append(" | ").append(yes(f.blocksWrites()))
                    .append(" | ").append(f.referencedLock() == null ? "" : f.referencedLock())
                    .append(" | ").append(f.since() == 0 ? "" : f.since())
                    .append(" | ").append(f.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String on(PgFacts.Target t) {
        return switch (t) {
            case TABLE -> "table";
            case REFERENCED_TABLE -> "referenced table";
            case INDEX -> "index";
            case TYPE -> "type";
            case NOTHING -> "";
        };
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
