package dev.migsafe.hostile;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A FIFO made at test time (mkfifo; the test is skipped where there is none) that tells, without
 * any timing, whether something opened it for reading: a writer thread waits to open it, and an
 * open for writing only returns once a reader has opened it. Code that reads a FIFO blocks until
 * that writer arrives, then reads an empty file; code that never opens it leaves the writer
 * waiting until {@link #close} opens it itself.
 *
 * <p>The FIFO lives at {@code fifo}; {@link #linkAt} gives it another name (a hard link), so the
 * name under test can be replaced (a rename over it) while the probe still reaches the FIFO.
 */
final class FifoProbe implements AutoCloseable {

    private final Path fifo;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final Thread writer;

    private FifoProbe(Path fifo) {
        this.fifo = fifo;
        this.writer = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                opened.set(true);
            } catch (IOException e) {
                opened.set(true); // opened, then the reader went away: it was opened all the same
            }
        }, "fifo-probe");
        writer.setDaemon(true);
    }

    /** Makes a FIFO at {@code fifo} and starts waiting for a reader. */
    static FifoProbe at(Path fifo) throws IOException, InterruptedException {
        mkfifo(fifo);
        FifoProbe probe = new FifoProbe(fifo);
        probe.writer.start();
        return probe;
    }

    /** Makes a FIFO with mkfifo; skips the test where the command does not exist or fails. */
    static void mkfifo(Path fifo) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here: " + e.getMessage());
            return;
        }
        try (InputStream in = p.getInputStream()) {
            in.readAllBytes();
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
    }

    /** Another name of the same FIFO. */
    FifoProbe linkAt(Path name) throws IOException {
        Files.createDirectories(name.getParent());
        Files.createLink(name, fifo);
        return this;
    }

    /** Whether anything opened the FIFO for reading so far (an open for reading only returns once the writer has the FIFO open, so a reader that finished has set this). */
    boolean wasOpened() {
        return opened.get();
    }

    /** Lets the writer go (by reading the FIFO here if nobody did) and waits for it. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!opened.get()) {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                byte[] buffer = new byte[64];
                while (in.read(buffer) >= 0) {
                    // until the writer closes (FileInputStream.readAllBytes seeks, which a FIFO cannot)
                }
            }
        }
        writer.join();
    }
}
