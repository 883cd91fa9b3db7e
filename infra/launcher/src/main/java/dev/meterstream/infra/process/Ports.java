package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Loopback ports: free ones for tests, and whether something listens on one. */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";
    /**
     * Every port this JVM has handed out: a free port is only checked, not held, until its process binds it, and the
     * kernel gives a just-released port again (one call in about 160 here), so two calls made before the first
     * port is bound (a broker's listener, then its metrics agent's) could otherwise give one port to two listeners.
     */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /**
     * {@code count} distinct ports that were free a moment ago, none of them handed out by this JVM before. Tests use
     * these so that they never collide with a running {@code ./dev up}, which uses the fixed default ports.
     */
    public static synchronized List<Integer> free(final int count) {
        final List<ServerSocket> held = new ArrayList<>();
        try {
            final List<Integer> ports = new ArrayList<>();
            while (ports.size() < count) {
                // Held until the end, so that the kernel offers another port next.
                final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                held.add(socket);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    ports.add(socket.getLocalPort());
                }
            }
            return ports;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (final ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (final IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    public static boolean listening(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}
