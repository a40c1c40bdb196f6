package io.flowraft.contracts.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports for clusters started on one machine (tests, {@code ./flowraft up}, the benchmark).
 *
 * <p>A port is chosen below the kernel's ephemeral range, never with {@code new ServerSocket(0)}: a port
 * from the ephemeral range can be taken as the local end of an outgoing connection (one coordinator dialling
 * another) between the moment it is chosen and the moment its server binds it, and the server then fails to
 * start. Ports handed out by this JVM are never handed out again, so a node restarted on its old port and a
 * new node cannot meet.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    /** Linux's default ephemeral range starts here; other systems start higher (49152). */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int ATTEMPTS = 1_000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int EPHEMERAL_START = ephemeralStart();

    private FreePorts() {
    }

    /** A port nothing listens on now, outside the ephemeral range, not handed out before by this JVM. */
    public static int next() {
        int end = EPHEMERAL_START;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free TCP port in [" + LOWEST + ", " + end + ") after " + ATTEMPTS + " attempts");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port)); // the wildcard address: what the HTTP server binds
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int ephemeralStart() {
        try {
            if (Files.isReadable(EPHEMERAL_RANGE)) {
                int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
                if (start > LOWEST + 1_000) {
                    return start;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the default; a wrong guess only makes a collision possible again, not likely
        }
        return DEFAULT_EPHEMERAL_START;
    }
}
