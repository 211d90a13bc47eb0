package dev.migsafe.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A PrintWriter that remembers why a write failed. PrintWriter swallows IOExceptions and keeps
 * only a flag ({@link #checkError}); a full disk or a closed pipe under standard output would then
 * end a run with its normal exit code and a truncated or missing report. Main checks the flag after
 * the command and turns a failure into exit 2 with this reason.
 */
final class OutputSink extends PrintWriter {

    private final Recorder recorder;

    OutputSink(Writer target) {
        this(new Recorder(target));
    }

    private OutputSink(Recorder recorder) {
        super(recorder, false);
        this.recorder = recorder;
    }

    /** The first failure of the stream under this writer, or null. */
    IOException failure() {
        return recorder.failure;
    }

    private static final class Recorder extends FilterWriter {
        IOException failure;

        Recorder(Writer target) {
            super(target);
        }

        private IOException seen(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }

        @Override
        public void write(int c) throws IOException {
            try {
                out.write(c);
            } catch (IOException e) {
                throw seen(e);
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            try {
                out.write(cbuf, off, len);
            } catch (IOException e) {
                throw seen(e);
            }
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            try {
                out.write(str, off, len);
            } catch (IOException e) {
                throw seen(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw seen(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw seen(e);
            }
        }
    }
}
