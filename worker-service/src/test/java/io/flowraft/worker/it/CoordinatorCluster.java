package io.flowraft.worker.it;

import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.CoordinatorApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real coordinators (HTTP, Raft, engine) in this JVM, each on free ports with its own temporary data dir,
 * deleted on {@link #close()}.
 *
 * <p>Both modules put an {@code application.properties} on the test classpath and Spring Boot reads only the
 * first one found (the worker's), so each coordinator gets its own file's settings as arguments.
 */
final class CoordinatorCluster implements AutoCloseable {

    static {
        // SOFA's logback bridge does not fit logback 1.5; it must be off before any SOFA class loads.
        System.setProperty("logback.middleware.log.disable", "true");
    }

    private final Path root;
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> contexts;

    private CoordinatorCluster(int size) {
        try {
            root = Files.createTempDirectory("flowraft-worker-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < size; i++) {
            raftAddresses.add("127.0.0.1:" + freePort());
            httpPorts.add(freePort());
        }
        contexts = new ArrayList<>(Collections.nCopies(size, null));
    }

    /** Starts {@code size} coordinators and waits until all are ready (a leader is elected and caught up). */
    static CoordinatorCluster start(int size) {
        CoordinatorCluster cluster = new CoordinatorCluster(size);
        try {
            // In parallel, since a node may wait for its peers while it starts. Spring Boot's logging setup can
            // trip over a context starting at the same moment ("Unable to find Spring Environment in logger
            // context"); a node that failed that way is started again once the others are up.
            List<Thread> starters = new ArrayList<>();
            List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < size; i++) {
                int node = i;
                starters.add(Thread.ofPlatform().start(() -> {
                    try {
                        cluster.startNode(node);
                    } catch (RuntimeException e) {
                        failed.add(node);
                    }
                }));
            }
            for (Thread starter : starters) {
                starter.join();
            }
            for (int node : List.copyOf(failed)) {
                cluster.startNode(node);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(cluster::allReady);
            return cluster;
        } catch (InterruptedException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("The coordinators did not start", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startNode(int i) {
        // One argument per key: Spring joins repeated command-line keys into a list ("8081,38525").
        Map<String, String> settings = new LinkedHashMap<>();
        coordinatorDefaults().forEach((key, value) -> settings.put(key.toString(), value.toString()));
        settings.put("server.port", String.valueOf(httpPorts.get(i)));
        settings.put("flowraft.raft.address", raftAddresses.get(i));
        settings.put("flowraft.raft.peers", String.join(",", raftAddresses));
        settings.put("flowraft.raft.data-dir", root.resolve("node" + i).toString());
        settings.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        settings.put("spring.main.banner-mode", "off");
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        contexts.set(i, new SpringApplicationBuilder(CoordinatorApplication.class).run(arguments));
    }

    /** The coordinator's own application.properties, read from the jar or directory holding its classes. */
    private static Properties coordinatorDefaults() {
        String home = CoordinatorApplication.class.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            for (URL url : Collections.list(CoordinatorCluster.class.getClassLoader().getResources("application.properties"))) {
                if (url.toString().contains(home)) {
                    Properties properties = new Properties();
                    try (InputStream in = url.openStream()) {
                        properties.load(in);
                    }
                    return properties;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("No application.properties next to " + home);
    }

    int size() {
        return contexts.size();
    }

    URI uri(int i) {
        return URI.create("http://127.0.0.1:" + httpPorts.get(i));
    }

    /** The base URLs of every coordinator, running or not, comma separated (for flowraft.worker.coordinators). */
    String uris() {
        return String.join(",", Stream.iterate(0, i -> i + 1).limit(size()).map(i -> uri(i).toString()).toList());
    }

    FlowRaftClient client(int i) {
        return new FlowRaftClient(uri(i), Duration.ofSeconds(10));
    }

    /** A client of some running coordinator. */
    FlowRaftClient client() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) != null) {
                return client(i);
            }
        }
        throw new IllegalStateException("No coordinator runs");
    }

    void stop(int i) {
        ConfigurableApplicationContext context = contexts.get(i);
        if (context != null) {
            contexts.set(i, null);
            context.close();
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
                // ask the next one
            }
        }
        return Optional.empty();
    }

    int awaitLeader() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(this::leader, Optional::isPresent).get();
    }

    private boolean allReady() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) != null && status(uri(i).resolve("/actuator/health/readiness")) != 200) {
                return false;
            }
        }
        return true;
    }

    private static int status(URI uri) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
