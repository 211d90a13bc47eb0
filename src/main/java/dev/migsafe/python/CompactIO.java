package dev.migsafe.python;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The primitives of the parse cache's binary forms (syntax trees, migration models): varints,
 * booleans, and strings written once per entry and referred to by index afterwards. A reader
 * never reads past its end and rejects anything out of range with {@link Malformed}.
 */
public final class CompactIO {

    private CompactIO() {}

    /** Bytes that are not a valid encoding: the caller treats the entry as missing. */
    public static class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message);
        }
    }

    public static class Writer {
        private byte[] buf = new byte[4096];
        private int at;
        private final Map<String, Integer> strings = new HashMap<>();

        public byte[] toBytes() {
            return Arrays.copyOf(buf, at);
        }

        private void ensure(int n) {
            if (at + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
            }
        }

        public void varint(int v) {
            ensure(5);
            while ((v & ~0x7F) != 0) {
                buf[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[at++] = (byte) v;
        }

        public void bool(boolean b) {
            varint(b ? 1 : 0);
        }

        /** Raw text without interning (a source file: large and unique). */
        public void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, at, b.length);
            at += b.length;
        }

        /** 0 for null; an index already seen; or the next index followed by the text. */
        public void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            Integer known = strings.get(s);
            if (known != null) {
                varint(known);
                return;
            }
            int index = strings.size() + 1;
            strings.put(s, index);
            varint(index);
            text(s);
        }
    }

    public static class Reader {
        private final byte[] buf;
        private int at;
        private final int end;
        private final List<String> strings = new ArrayList<>();

        public Reader(byte[] buf, int at, int end) {
            if (at < 0 || end < at || end > buf.length) {
                throw new Malformed("bad range");
            }
            this.buf = buf;
            this.at = at;
            this.end = end;
        }

        /** Whether every byte was read: a valid encoding has nothing left over. */
        public boolean atEnd() {
            return at == end;
        }

        public int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (at >= end) {
                    throw new Malformed("truncated");
                }
                byte b = buf[at++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new Malformed("varint too long");
        }

        /** A length or element count: never more than the bytes left could hold. */
        public int count() {
            int n = varint();
            if (n < 0 || n > end - at) {
                throw new Malformed("bad count " + n);
            }
            return n;
        }

        public boolean bool() {
            int v = varint();
            if (v > 1) {
                throw new Malformed("bad boolean " + v);
            }
            return v == 1;
        }

        public String text() {
            int n = count();
            String s = new String(buf, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }

        public String string() {
            int index = varint();
            if (index == 0) {
                return null;
            }
            if (index <= strings.size()) {
                return strings.get(index - 1);
            }
            if (index != strings.size() + 1) {
                throw new Malformed("bad string index " + index);
            }
            String s = text();
            strings.add(s);
            return s;
        }

        public String requiredString() {
            String s = string();
            if (s == null) {
                throw new Malformed("missing string");
            }
            return s;
        }

        public <E> E enumValue(E[] values) {
            int i = varint();
            if (i < 0 || i >= values.length) {
                throw new Malformed("bad enum ordinal " + i);
            }
            return values[i];
        }
    }
}
