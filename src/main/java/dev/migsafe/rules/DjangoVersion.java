package dev.migsafe.rules;

/** A Django release as MAJOR.MINOR ("5.1"). */
public record DjangoVersion(int major, int minor) {

    /** Parses "5", "5.1" or "5.1.3"; null when it is not a version. */
    public static DjangoVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major >= 1 && major < 100 && minor >= 0 ? new DjangoVersion(major, minor) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || major == maj && minor >= min;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
