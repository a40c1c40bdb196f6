package io.flowraft.deploy.pods;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A ClusterIP Service as kube-proxy makes it: a virtual address whose connections go round-robin to the pods that
 * passed their readiness probe at the last check, on the target port. The endpoints are refreshed every
 * {@code period} from the pods' own probes; a terminating pod leaves them at once, as the endpoints controller
 * removes it. Connections already open stay with their pod, and end when it ends.
 */
final class ServiceProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Supplier<List<LocalPod>> pods;
    private final CopyOnWriteArrayList<LocalPod> ready = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService endpoints = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "endpoints");
        t.setDaemon(true);
        return t;
    });

    ServiceProxy(String ip, int port, int targetPort, Supplier<List<LocalPod>> pods, long periodMillis)
            throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        this.targetPort = targetPort;
        this.pods = pods;
        endpoints.scheduleWithFixedDelay(this::refresh, 0, periodMillis, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name("service-" + ip).start(this::accept);
    }

    List<LocalPod> readyEndpoints() {
        return List.copyOf(ready);
    }

    private void refresh() {
        for (LocalPod pod : pods.get()) {
            pod.live();
            if (pod.ready()) {
                ready.addIfAbsent(pod);
            } else {
                ready.remove(pod);
            }
        }
        ready.removeIf(pod -> pod.terminating() || !pods.get().contains(pod));
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        List<LocalPod> targets = ready.stream().filter(p -> !p.terminating()).toList();
        if (targets.isEmpty()) {
            close(client);
            return;
        }
        LocalPod pod = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
        try {
            Socket backend = new Socket();
            backend.connect(new InetSocketAddress(pod.ip(), targetPort), 2000);
            Thread.ofVirtual().start(() -> pipe(client, backend));
            pipe(backend, client);
        } catch (IOException e) {
            close(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // One side went away: the other is closed below, as a dropped connection.
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        endpoints.shutdownNow();
        server.close();
    }
}
