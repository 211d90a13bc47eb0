package dev.migsafe.python;

import java.util.concurrent.Callable;

/**
 * Runs work on a thread with a large stack. ANTLR's recursive descent and our tree walks recurse
 * once per nesting level; the default 512 KB-1 MB stack would overflow on legitimately nested
 * literals that CPython accepts.
 */
public final class BigStack {

    public static final long STACK_BYTES = 512L * 1024 * 1024;

    private BigStack() {}

    public static <T> T call(Callable<T> work) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                result[0] = work.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "migsafe-main", STACK_BYTES);
        try {
            thread.start();
        } catch (OutOfMemoryError e) {
            // No room for the stack (a low `ulimit -v`): the work runs on the calling thread, where
            // input nested too deeply for its stack ends in a finding, as on the large one.
            return work.call();
        }
        thread.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
