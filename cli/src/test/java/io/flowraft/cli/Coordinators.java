package io.flowraft.cli;

import static org.awaitility.Awaitility.await;

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
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real coordinators (HTTP, Raft, engine) in this JVM, each on free ports with its own data dir, for the CLI to talk
 * to. Nodes start one by one, so a test can run one node of three (no quorum) before the others.
 */
final class Coordinators implements AutoCloseable {

    private final Path root;
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** Plans {@code size} nodes that bootstrap as one group; none runs yet. */
    Coordinators(int size) {
        try {
            root = Files.createTempDirectory("flowraft-cli-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < size; i++) {
            raftAddresses.add("127.0.0.1:" + freePort());
            httpPorts.add(freePort());
            contexts.add(null);
        }
    }

    /** A port nothing listens on (right now). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts node {@code i}; returns once its HTTP port serves (it may not have a leader yet). */
    Coordinators start(int i) {
        contexts.set(i, new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=" + httpPorts.get(i),
                "--flowraft.raft.address=" + raftAddresses.get(i),
                "--flowraft.raft.peers=" + String.join(",", raftAddresses),
                "--flowraft.raft.data-dir=" + root.resolve("node" + i),
                "--flowraft.raft.election-timeout-ms=1000",
                "--spring.main.banner-mode=off"));
        return this;
    }

    /**
     * Starts every node not running yet, one after the other (Spring Boot's logging set-up is not safe for
     * several applications starting at once in one JVM; a node does not wait for its peers to start), and
     * waits until all are ready.
     */
    Coordinators startAll() {
        for (int i = 0; i < contexts.size(); i++) {
            if (contexts.get(i) == null) {
                start(i);
            }
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(this::allReady);
        return this;
    }

    String url(int i) {
        return "http://127.0.0.1:" + httpPorts.get(i);
    }

    /** Readiness means: a leader is known and this node has caught up with it. */
    boolean allReady() {
        for (int i = 0; i < contexts.size(); i++) {
            if (contexts.get(i) == null || status(URI.create(url(i) + "/actuator/health/readiness")) != 200) {
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
        for (ConfigurableApplicationContext context : contexts) {
            if (context != null) {
                context.close();
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
