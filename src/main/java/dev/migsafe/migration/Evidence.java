package dev.migsafe.migration;

/**
 * A place in the deployed code (the range's base side) that bears on a finding: where a model or
 * field is declared, or where old code uses the column or table an operation changes.
 *
 * @param kind what the place is: "declaration", "lookup", "attribute", "serializer", "form",
 *             "admin", "template", "reference", "deprecated"
 * @param path repository-relative path at the base commit
 * @param line 1-based
 * @param column 1-based
 * @param text the line's source, trimmed and shortened (what a reviewer reads)
 */
public record Evidence(String kind, String path, int line, int column, String text) {

    /** How many places a one-line summary names; JSON and SARIF carry all of them. */
    public static final int IN_SUMMARY = 3;

    /**
     * "declaration at a.py:3, lookup at b.py:9 and 4 more", or null for none: what text reports
     * print under a finding. Kept out of the message, whose text identifies the finding in
     * baselines and fingerprints and must not change when the deployed code's lines move.
     */
    public static String summary(java.util.List<Evidence> places) {
        if (places.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(IN_SUMMARY, places.size()); i++) {
            Evidence e = places.get(i);
            sb.append(i == 0 ? "" : ", ").append(e.kind()).append(" at ").append(e.where());
        }
        if (places.size() > IN_SUMMARY) {
            sb.append(" and ").append(places.size() - IN_SUMMARY).append(" more");
        }
        return sb.toString();
    }

    /** `path:line` as reports print it. */
    public String where() {
        return path + ":" + line;
    }
}
