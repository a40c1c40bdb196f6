package io.flowraft.coordinator.cluster;

import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.CoordinatorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * N complete coordinator applications (HTTP, Raft, engine) in this JVM, each on its own free HTTP and Raft
 * ports with its own data dir: the real thing, minus process boundaries.
 */
final class InProcessCluster implements AutoCloseable {

    private final Path root;
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<String> extraArguments;
    private final int initialSize;

    /** @param extraArguments more {@code --name=value} arguments for every node */
    InProcessCluster(int size, String... extraArguments) {
        this.extraArguments = List.of(extraArguments);
        try {
            root = Files.createTempDirectory("flowraft-cluster-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.initialSize = size;
        for (int i = 0; i < size; i++) {
            raftAddresses.add("127.0.0.1:" + freePort());
            httpPorts.add(freePort());
            contexts.add(null);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts every node, one after the other: Spring Boot's logging initialisation is not safe to run for
     * several applications at once in one JVM (seen failing with an ArrayIndexOutOfBoundsException). A node
     * does not wait for its peers to start, so this costs only each context's own start-up.
     */
    InProcessCluster startAll() {
        for (int i = 0; i < size(); i++) {
            start(i);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(this::allReady);
        return this;
    }

    void start(int i) {
        start(i, raftAddresses.subList(0, initialSize));
    }

    private void start(int i, List<String> peers) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + httpPorts.get(i),
                "--flowraft.raft.address=" + raftAddresses.get(i),
                "--flowraft.raft.peers=" + String.join(",", peers),
                "--flowraft.raft.data-dir=" + root.resolve("node" + i),
                "--flowraft.raft.election-timeout-ms=1000",
                "--spring.main.banner-mode=off"));
        arguments.addAll(extraArguments);
        contexts.set(i, new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments.toArray(String[]::new)));
    }

    /**
     * Starts one more coordinator that joins rather than bootstraps (its peer list does not name it); it serves
     * once a leader adds it. Returns its number.
     */
    int startJoiner() {
        raftAddresses.add("127.0.0.1:" + freePort());
        httpPorts.add(freePort());
        contexts.add(null);
        int i = raftAddresses.size() - 1;
        start(i, raftAddresses.subList(0, initialSize));
        return i;
    }

    String raftAddress(int i) {
        return raftAddresses.get(i);
    }

    boolean isRunning(int i) {
        return contexts.get(i) != null;
    }

    ConfigurableApplicationContext context(int i) {
        return contexts.get(i);
    }

    void stop(int i) {
        ConfigurableApplicationContext context = contexts.get(i);
        if (context != null) {
            context.close();
            contexts.set(i, null);
        }
    }

    int size() {
        return raftAddresses.size();
    }

    URI baseUri(int i) {
        return URI.create("http://127.0.0.1:" + httpPorts.get(i));
    }

    FlowRaftClient client(int i) {
        return new FlowRaftClient(baseUri(i), Duration.ofSeconds(15));
    }

    boolean allReady() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) != null && status(baseUri(i).resolve("/actuator/health/readiness")) != 200) {
                return false;
            }
        }
        return true;
    }

    static int status(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    Optional<Integer> leader() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) == null) {
                continue;
            }
            try {
                ClusterView view = client(i).clusterStale();
                int index = raftAddresses.indexOf(view.leader());
                if (index >= 0 && contexts.get(index) != null) {
                    return Optional.of(index);
                }
            } catch (RuntimeException e) {
                // try the next node
            }
        }
        return Optional.empty();
    }

    int awaitLeader(Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(50)).until(this::leader, Optional::isPresent).get();
    }

    @Override
    public void close() {
        for (int i = 0; i < size(); i++) {
            stop(i);
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
