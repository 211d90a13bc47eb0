package dev.migsafe.python;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parse-cache entries that a resident process keeps across runs
 * (docs/decisions/0008-resident-process.md), by blob id, least recently used first out; none in
 * a normal run. They are held encoded, as on disk, so that their size is known and bounded, and
 * every run decodes its own trees: a run's decoded trees never outlive it.
 */
final class ResidentEntries {

    private static ResidentEntries current;

    private record Kept(byte[] tree, byte[] summary) {
        long weight() {
            return 64L + tree.length + (summary == null ? 0 : summary.length);
        }
    }

    private final Map<String, Kept> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final long budget;
    private long weight;

    private ResidentEntries(long budget) {
        this.budget = budget;
    }

    /** From now on, keeps up to about {@code budgetBytes} of entries ({@code <= 0}: none). */
    static synchronized void keep(long budgetBytes) {
        current = budgetBytes > 0 ? new ResidentEntries(budgetBytes) : null;
    }

    /** The process's store, or null when it keeps nothing. */
    static synchronized ResidentEntries current() {
        return current;
    }

    /** How many entries, and about how many bytes, the process keeps. */
    static synchronized String summary() {
        ResidentEntries r = current;
        return r == null ? "none" : r.describe();
    }

    private synchronized String describe() {
        return entries.size() + " parsed files, " + (weight >> 10) + " KiB";
    }

    synchronized ParseCache.Entry get(String blobId) {
        Kept k = entries.get(blobId);
        return k == null ? null : new ParseCache.Entry(k.tree(), 0, k.tree().length, k.summary());
    }

    /** Keeps a blob's encoded tree (its own array: never a slice of a pack) and summary. */
    synchronized void put(String blobId, byte[] tree, byte[] summary) {
        Kept k = new Kept(tree, summary);
        Kept old = entries.put(blobId, k);
        weight += k.weight() - (old == null ? 0 : old.weight());
        Iterator<Kept> oldest = entries.values().iterator();
        while (weight > budget && oldest.hasNext()) {
            weight -= oldest.next().weight();
            oldest.remove();
        }
    }
}
