package dev.migsafe.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What client and resident process say to each other over the socket (the Python client speaks
 * the same; see docs/decisions/0008-resident-process.md).
 *
 * A request is one message: a 4-byte big-endian length, then "MGSD", the version byte, the kind
 * byte, and strings (a 4-byte length and UTF-8 bytes): the client's build identity; for a run,
 * the working directory, the arguments (count, then each) and the environment (count, then
 * NAME=VALUE each). The answer is a sequence of frames (type byte, 4-byte length, payload):
 * standard output and error in the order the run wrote them, then its exit code; or one refusal
 * (the client then runs migsafe itself); or a status text and an exit code.
 */
public final class Protocol {

    static final byte[] MAGIC = {'M', 'G', 'S', 'D'};
    static final int VERSION = 1;
    /** Requests are small (arguments and environment); anything larger is not a client of ours. */
    static final int MAX_REQUEST = 4 << 20;

    public static final byte RUN = 'R';
    public static final byte STATUS = 'S';
    public static final byte STOP = 'Q';

    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXIT = 'X';
    public static final byte REFUSED = 'N';
    public static final byte TEXT = 'T';

    private Protocol() {}

    /** A request as the daemon reads it. */
    public record Request(byte kind, String identity, String cwd, List<String> args, Map<String, String> env) {}

    /** One frame of an answer. */
    public record Frame(byte type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int code() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** A malformed message. */
    public static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    public static byte[] request(byte kind, String identity, String cwd, List<String> args, Map<String, String> env) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(MAGIC);
        body.write(VERSION);
        body.write(kind);
        string(body, identity);
        if (kind == RUN) {
            string(body, cwd);
            int32(body, args.size());
            args.forEach(a -> string(body, a));
            int32(body, env.size());
            env.forEach((k, v) -> string(body, k + "=" + v));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int32(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Parses a request's body (what follows its length). */
    public static Request parse(byte[] body) throws Malformed {
        try {
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new Malformed("not a migsafe request");
            }
            int version = in.get();
            if (version != VERSION) {
                throw new Malformed("protocol version " + version + ", this process speaks " + VERSION);
            }
            byte kind = in.get();
            String identity = string(in);
            if (kind != RUN) {
                return new Request(kind, identity, null, List.of(), Map.of());
            }
            String cwd = string(in);
            int n = count(in);
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(string(in));
            }
            int m = count(in);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) {
                String entry = string(in);
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new Malformed("malformed environment entry");
                }
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            if (in.hasRemaining()) {
                throw new Malformed("trailing bytes after the request");
            }
            return new Request(kind, identity, cwd, args, env);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new Malformed("truncated request");
        }
    }

    public static void frame(OutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        out.write(type);
        out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.write(payload, offset, length);
    }

    public static byte[] exitPayload(int code) {
        return ByteBuffer.allocate(4).putInt(code).array();
    }

    /** Parses an answer: frames up to and including its exit code or refusal. */
    public static List<Frame> frames(byte[] answer) throws Malformed {
        List<Frame> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(answer);
        try {
            while (in.hasRemaining()) {
                byte type = in.get();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new Malformed("truncated frame");
                }
                byte[] payload = new byte[length];
                in.get(payload);
                out.add(new Frame(type, payload));
                if (type == EXIT || type == REFUSED) {
                    return out;
                }
            }
        } catch (BufferUnderflowException e) {
            throw new Malformed("truncated frame");
        }
        throw new Malformed("the answer ended without an exit code");
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int32(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    private static int count(ByteBuffer in) throws Malformed {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 4) {
            throw new Malformed("bad count");
        }
        return n;
    }

    private static String string(ByteBuffer in) throws Malformed {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new Malformed("bad string length");
        }
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("a string is not UTF-8");
        }
    }
}
