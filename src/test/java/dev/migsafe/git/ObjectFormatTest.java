package dev.migsafe.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eclipse.jgit.lib.Config;
import org.junit.jupiter.api.Test;

class ObjectFormatTest {

    private static Config config(String format) {
        Config c = new Config();
        if (format != null) {
            c.setString("extensions", null, "objectFormat", format);
        }
        return c;
    }

    @Test
    void sha1IsReadAndOthersAreRefusedByName() throws Exception {
        ObjectFormat.check(config(null));
        ObjectFormat.check(config("sha1"));
        ObjectFormat.check(config("SHA1"));
        assertEquals("this repository uses SHA-256 object names, which migsafe does not support yet",
                assertThrows(GitException.class, () -> ObjectFormat.check(config("SHA256"))).getMessage());
        assertEquals("this repository uses the object format 'blake3' (extensions.objectFormat), which migsafe does not "
                + "support: only SHA-1 repositories can be read",
                assertThrows(GitException.class, () -> ObjectFormat.check(config("blake3"))).getMessage());
    }
}
