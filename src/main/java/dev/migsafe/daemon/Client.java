package dev.migsafe.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The Java side of a client: `daemon status` and `daemon stop` (and tests) talk to a process with it. */
public final class Client {

    private Client() {}

    /** Sends a request and reads the whole answer; IOException when nobody listens or it is malformed. */
    public static List<Protocol.Frame> call(Path socket, byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (channel.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
            return Protocol.frames(answer.toByteArray());
        }
    }

    public static List<Protocol.Frame> status(Path socket) throws IOException {
        return call(socket, Protocol.request(Protocol.STATUS, "", null, List.of(), Map.of()));
    }

    public static List<Protocol.Frame> stop(Path socket) throws IOException {
        return call(socket, Protocol.request(Protocol.STOP, "", null, List.of(), Map.of()));
    }

    /** Whether a process answers on the socket. */
    public static boolean answers(Path socket) {
        try {
            List<Protocol.Frame> frames = status(socket);
            return frames.get(frames.size() - 1).type() == Protocol.EXIT;
        } catch (IOException e) {
            return false;
        }
    }
}
