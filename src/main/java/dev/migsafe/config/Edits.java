package dev.migsafe.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Edit distance, for "did you mean" suggestions. */
public final class Edits {

    private Edits() {}

    /** Levenshtein distance between two strings. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The candidate closest to {@code given} (case ignored), or null when none is close enough to
     * be what was meant: within a third of the word's length (at least one edit), or else
     * the only candidate that starts with a given word of 3 or more letters ("warn": "warning").
     */
    public static String closest(String given, Collection<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(g, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best != null && bestDistance <= Math.max(1, g.length() / 3)) {
            return best;
        }
        List<String> extending = g.length() < 3 ? List.of()
                : candidates.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(g)).toList();
        return extending.size() == 1 ? extending.get(0) : null;
    }
}
