package io.flowraft.coordinator.testing;

import io.flowraft.contracts.local.FreePorts;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on a free loopback port to {@code host:port}, for making a server (PostgreSQL) look down or hung
 * without touching the server that other tests share.
 *
 * <p>{@link #pause()} stops forwarding and accepting but closes nothing: connected clients wait for answers that do
 * not come, and new clients connect (the kernel completes the handshake into the backlog) and then hear nothing,
 * as with a hung server. (A connection accepted as the pause begins forwards nothing either.) {@link #resume()} forwards again, what was held included. {@link #breakConnections()}
 * closes every connection, as a server restart would.
 */
public final class PausableTcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private boolean paused;
    private volatile boolean closed;

    public PausableTcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept-" + port(), this::acceptLoop);
    }

    /** The port clients connect to (on 127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    public void pause() {
        setPaused(true);
    }

    public void resume() {
        setPaused(false);
    }

    /** Closes every client and target connection; the proxy keeps accepting (unless paused). */
    public void breakConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        breakConnections();
        resume(); // wakes the threads held by a pause, which then see closed sockets and end
    }

    private void setPaused(boolean value) {
        lock.lock();
        try {
            paused = value;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitNotPaused() throws InterruptedException {
        lock.lock();
        try {
            while (paused && !closed) {
                resumed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        try {
            while (!closed) {
                awaitNotPaused();
                Socket client = server.accept();
                Socket target;
                try {
                    target = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    closeQuietly(client); // the target is down: so is the proxy, for this client
                    continue;
                }
                // As the PostgreSQL driver does: without it, each small write waits for the other side's delayed ACK.
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(target);
                daemon("proxy-up-" + client.getPort(), () -> pump(client, target));
                daemon("proxy-down-" + client.getPort(), () -> pump(target, client));
            }
        } catch (IOException | InterruptedException e) {
            // closed: the loop ends
        }
    }

    /** Copies {@code from} to {@code to}, holding each chunk while paused; closes both when either side ends. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitNotPaused();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a side closed or broke: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
        if (closeable instanceof Socket socket) {
            sockets.remove(socket);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
