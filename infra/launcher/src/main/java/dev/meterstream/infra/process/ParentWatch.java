package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of every child JVM the launcher starts: runs the real main class, and exits the JVM when the
 * parent goes away.
 *
 * <p>The parent holds the write end of the child's stdin and never writes to it, so end-of-file on stdin means
 * the parent is gone, whether it closed the pipe on purpose or died (even by SIGKILL). Without this a crashed
 * test run or a killed {@code ./dev up} would leave brokers and Cassandra nodes running with nobody to stop them.
 */
public final class ParentWatch {
    /** How long the child's own shutdown hooks may take before the JVM is halted. */
    private static final long SHUTDOWN_GRACE_MILLIS = 30_000;

    private ParentWatch() {
    }

    public static void main(final String[] args) throws Throwable {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
        }
        final Thread watch = new Thread(() -> {
            awaitEndOfInput(System.in);
            final Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MILLIS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(137);
            }, "parent-watch-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[0])
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (final InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void awaitEndOfInput(final InputStream in) {
        final byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // the parent never writes; anything read is ignored
            }
        } catch (final IOException e) {
            // a broken pipe means the same as end of input
        }
    }
}
