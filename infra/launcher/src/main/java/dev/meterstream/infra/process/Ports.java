package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports: free ones for tests, and whether something listens on one. */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * {@code count} distinct ports that were free a moment ago. Tests use these so that they never collide with
     * a running {@code ./dev up}, which uses the fixed default ports.
     */
    public static List<Integer> free(final int count) {
        final List<ServerSocket> held = new ArrayList<>();
        try {
            final List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                held.add(socket);
                ports.add(socket.getLocalPort());
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
