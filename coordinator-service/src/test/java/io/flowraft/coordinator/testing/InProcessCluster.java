package io.flowraft.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.CoordinatorApplication;
import io.flowraft.coordinator.replication.StateReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * N complete coordinator applications (HTTP, Raft, engine) in this JVM, each on its own free HTTP and Raft
 * ports with its own data dir: the real thing, minus process boundaries. Shared by the coordinator's, the
 * worker's and the CLI's tests through the coordinator's test jar.
 *
 * <p>Every node gets the coordinator's own {@code application.properties} as arguments, because another
 * module's file of the same name may come first on a test classpath. Nodes start one after the other: Spring
 * Boot's logging set-up is not safe for several applications starting at once in one JVM, and a node does
 * not wait for its peers to start.
 */
public final class InProcessCluster implements AutoCloseable {

    private final Path root;
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<String> extraArguments;
    private final int initialSize;
    private String scheme = "http";
    private ClientCredentials clientCredentials = ClientCredentials.none();
    private TestCertificates certificates;
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers = new ArrayList<>();
    /** The cluster secret its nodes share, so that they forward to one another authenticated. */
    private final String clusterSecret = newClusterSecret();

    private static String newClusterSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** @param extraArguments more {@code --name=value} arguments for every node */
    public InProcessCluster(int size, String... extraArguments) {
        this.extraArguments = new ArrayList<>(List.of(extraArguments));
        this.initialSize = size;
        try {
            root = Files.createTempDirectory("flowraft-cluster-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < size; i++) {
            raftAddresses.add("127.0.0.1:" + FreePorts.next());
            httpPorts.add(FreePorts.next());
            contexts.add(null);
        }
    }

    /**
     * Runs {@code initializer} on every node's context before it is refreshed, e.g. to register a bean (a span
     * exporter that collects the spans of all nodes). Call before starting any node.
     */
    public InProcessCluster withInitializer(ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        initializers.add(initializer);
        return this;
    }

    /** The API key (or JWT) this cluster's own clients send: for clusters in secure mode. */
    public InProcessCluster useApiKey(String bearerToken) {
        this.clientCredentials = new ClientCredentials(bearerToken, clientCredentials.sslContext());
        return this;
    }


    /**
     * Serves every node's REST API over HTTPS (a Spring Boot PEM SSL bundle) with a server certificate of a CA
     * made for this cluster ({@link TestCertificates}, deleted on {@link #close()}), and makes {@link #baseUri}
     * say {@code https} and {@link #client} trust that CA. Call before starting any node.
     */
    public InProcessCluster withTls() {
        certificates = TestCertificates.create();
        extraArguments.addAll(certificates.serverArguments());
        scheme = "https";
        clientCredentials = clientCredentials.trusting(certificates.caFile());
        return this;
    }

    /** The PEM file of the CA that signed the nodes' certificate, for clients to trust (after {@link #withTls()}). */
    public Path tlsCaFile() {
        if (certificates == null) {
            throw new IllegalStateException("This cluster serves plain HTTP: call withTls() before starting it");
        }
        return certificates.caFile();
    }

    /** Starts every node that is not running, and waits until all running nodes are ready. */
    public InProcessCluster startAll() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) == null) {
                start(i);
            }
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(this::allReady);
        return this;
    }

    /** Starts node i (again, on its data dir) without waiting for it to be ready. */
    public void start(int i) {
        start(i, raftAddresses.subList(0, initialSize));
    }

    private void start(int i, List<String> peers) {
        // One argument per key: Spring joins repeated command-line keys into a list.
        Map<String, String> settings = new LinkedHashMap<>();
        coordinatorDefaults().forEach((key, value) -> settings.put(key.toString(), value.toString()));
        settings.put("server.port", String.valueOf(httpPorts.get(i)));
        settings.put("flowraft.raft.address", raftAddresses.get(i));
        settings.put("flowraft.raft.peers", String.join(",", peers));
        settings.put("flowraft.raft.data-dir", root.resolve("node" + i).toString());
        settings.put("flowraft.raft.cluster-secret", clusterSecret);
        settings.put("flowraft.raft.election-timeout-ms", "1000");
        settings.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        settings.put("spring.main.banner-mode", "off");
        // a port of its own, found by managementUri (the default, the API port + 1000, may be taken)
        defaultUnlessGiven(settings, "management.server.port", "0");
        // Tests about something else run without authentication (loopback only); security tests pass a mode.
        defaultUnlessGiven(settings, "flowraft.security.mode", "insecure-local");
        List<String> arguments = new ArrayList<>();
        settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        arguments.addAll(extraArguments);
        SpringApplicationBuilder application = new SpringApplicationBuilder(CoordinatorApplication.class);
        initializers.forEach(application::initializers);
        contexts.set(i, application.run(arguments.toArray(String[]::new)));
    }

    private void defaultUnlessGiven(Map<String, String> settings, String key, String value) {
        if (extraArguments.stream().noneMatch(a -> a.startsWith("--" + key + "="))) {
            settings.put(key, value);
        }
    }

    /** The coordinator's own application.properties, read from the jar or directory holding its classes. */
    private static Properties coordinatorDefaults() {
        String home = CoordinatorApplication.class.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            for (URL url : Collections.list(InProcessCluster.class.getClassLoader().getResources("application.properties"))) {
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

    /**
     * Starts one more coordinator that joins rather than bootstraps (its peer list does not name it); it serves
     * once a leader adds it. Returns its number.
     */
    public int startJoiner() {
        raftAddresses.add("127.0.0.1:" + FreePorts.next());
        httpPorts.add(FreePorts.next());
        contexts.add(null);
        int i = raftAddresses.size() - 1;
        start(i, raftAddresses.subList(0, initialSize));
        return i;
    }

    /** Stops node i gracefully (as on SIGTERM: a leader hands leadership over first). */
    public void stop(int i) {
        ConfigurableApplicationContext context = contexts.get(i);
        if (context != null) {
            context.close();
            contexts.set(i, null);
        }
    }

    public int size() {
        return raftAddresses.size();
    }

    public String raftAddress(int i) {
        return raftAddresses.get(i);
    }

    public boolean isRunning(int i) {
        return contexts.get(i) != null;
    }

    public ConfigurableApplicationContext context(int i) {
        return contexts.get(i);
    }

    /** The base URI of node i's management port (health details, Prometheus). */
    public URI managementUri(int i) {
        return URI.create(scheme + "://127.0.0.1:" + context(i).getEnvironment().getProperty("local.management.port"));
    }

    public URI baseUri(int i) {
        return URI.create(scheme + "://127.0.0.1:" + httpPorts.get(i));
    }

    /** Every node's base URI, comma-separated, as a worker's coordinator list. */
    public String baseUris() {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            uris.add(baseUri(i).toString());
        }
        return String.join(",", uris);
    }

    public FlowRaftClient client(int i) {
        return new FlowRaftClient(baseUri(i), Duration.ofSeconds(15), clientCredentials);
    }

    /** Whether every running node answers its readiness probe with 200. */
    public boolean allReady() {
        for (int i = 0; i < size(); i++) {
            if (contexts.get(i) != null && !client(i).isReady()) {
                return false;
            }
        }
        return true;
    }

    /** The running node a running node reports as leader. */
    public Optional<Integer> leader() {
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

    /**
     * Waits until every running node has handed all history to the exporter's store (or let it go, without a
     * database): until then the leader commits export positions in the background, and the digest moves.
     */
    public void awaitExported(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (ConfigurableApplicationContext context : contexts) {
                if (context != null && !context.getBean(StateReader.class).local(s -> s.unexported().isEmpty())) {
                    return false;
                }
            }
            return true;
        });
    }

    public int awaitLeader(Duration within) {
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
        } finally {
            if (certificates != null) {
                certificates.close();
            }
        }
    }
}
