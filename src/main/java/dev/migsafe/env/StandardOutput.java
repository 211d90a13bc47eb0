package dev.migsafe.env;

import java.nio.charset.Charset;

/** What the process's standard output is: the charset System.out encodes with. */
public final class StandardOutput {

    private StandardOutput() {}

    /** The charset System.out would encode with (the resident process's writers use the same for its clients). */
    public static Charset charset() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
