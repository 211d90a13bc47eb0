package dev.migsafe.pg;

import dev.migsafe.rules.locks.PgFacts;

/**
 * What PostgreSQL did when a statement ran on a table with rows, as {@link LockLab} saw it: the
 * strongest lock the statement's session held (or asked for) on the observed object, whether the
 * table's storage was replaced with its rows copied, whether every row was read, whether another
 * session's SELECT / INSERT-or-UPDATE waited, and the same lock and waits on the referenced table.
 */
record Observed(String lock, boolean rewrites, boolean scans, boolean blocksReads, boolean blocksWrites,
                String referencedLock, boolean referencedBlocksReads, boolean referencedBlocksWrites) {

    /** The fields of a fact that this observation can contradict, in the same shape, for a readable diff. */
    static String claimed(PgFacts.Fact f) {
        String ref = f.referencedLock() == null ? PgFacts.NONE : f.referencedLock();
        return shape(f.lock(), f.rewrites(), f.scans(), f.blocksReads(), f.blocksWrites(), ref,
                f.referencedLock() != null && PgFacts.blocksReads(ref), f.referencedLock() != null && PgFacts.blocksWrites(ref));
    }

    String shape() {
        return shape(lock, rewrites, scans, blocksReads, blocksWrites, referencedLock, referencedBlocksReads,
                referencedBlocksWrites);
    }

    private static String shape(String lock, boolean rewrites, boolean scans, boolean reads, boolean writes,
                                String ref, boolean refReads, boolean refWrites) {
        return "lock=" + lock + ", rewrites=" + rewrites + ", scans=" + scans + ", blocksReads=" + reads
                + ", blocksWrites=" + writes + ", referenced=" + ref + " (blocksReads=" + refReads + ", blocksWrites="
                + refWrites + ")";
    }
}
