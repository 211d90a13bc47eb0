package dev.migsafe.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.InflaterInputStream;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Reads a blob stored as a loose object (objects/xx/yyyy..., zlib: "blob SIZE\0" and the bytes),
 * as `git add` leaves a newly staged file. JGit looks for any object in the packs first, which
 * means reading a whole pack index (16 MB on a large project) to learn that a just-staged file is
 * not there. A loose object is named by the hash of its content, so what is found is the blob.
 */
final class LooseObjects {

    private LooseObjects() {}

    /** The blob's bytes, or null when it is not a loose object here (or not a readable blob). */
    static byte[] blob(Path objects, ObjectId id) {
        String name = id.name();
        byte[] compressed;
        try {
            compressed = Files.readAllBytes(objects.resolve(name.substring(0, 2)).resolve(name.substring(2)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        byte[] raw;
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
        int nul = 0;
        while (nul < raw.length && raw[nul] != 0) {
            nul++;
        }
        String header = new String(raw, 0, nul, StandardCharsets.US_ASCII);
        if (nul == raw.length || !header.startsWith("blob ")) {
            return null;
        }
        try {
            if (Integer.parseInt(header.substring(5)) != raw.length - nul - 1) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return Arrays.copyOfRange(raw, nul + 1, raw.length);
    }
}
