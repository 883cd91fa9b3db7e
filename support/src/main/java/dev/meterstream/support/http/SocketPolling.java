package dev.meterstream.support.http;

/**
 * How the JDK waits on the sockets of virtual threads, chosen for an HTTP server before it starts. Helidon serves
 * each connection on a virtual thread, and a read that finds no bytes parks it until the JDK's poller sees the
 * socket ready. JDK 25's default on Linux runs the pollers as virtual threads under a platform "master" poller, so
 * a request arriving at a server with idle carriers wakes a poller thread before its own; with dedicated platform
 * poller threads ({@code SYSTEM_THREADS}) the poller unparks the connection's thread directly. At 1,000
 * single-event requests/s ingest-api switched context 15% less often and used less CPU in both pairs of runs
 * (docs/benchmarks.md, "Session 28"). A {@code -Djdk.pollerMode} given on the command line wins.
 */
public final class SocketPolling {
    private static final String MODE = "jdk.pollerMode";
    /** {@code sun.nio.ch.Poller.Mode.SYSTEM_THREADS}. */
    private static final String SYSTEM_THREADS = "1";

    private SocketPolling() {
    }

    /** Call first in {@code main}: the JDK reads the mode once, at the first socket a virtual thread waits on. */
    public static void useSystemThreads() {
        if (System.getProperty(MODE) == null) {
            System.setProperty(MODE, SYSTEM_THREADS);
        }
    }
}
