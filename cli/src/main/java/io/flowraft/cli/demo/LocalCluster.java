package io.flowraft.cli.demo;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.FlowRaftClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Coordinator and worker processes on loopback, started from the built jars, with data and logs under one
 * directory: what {@code ./flowraft demo} runs on. Coordinator i listens on HTTP 8080+i and Raft 7100+i.
 */
final class LocalCluster implements AutoCloseable {

    private final Path coordinatorJar;
    private final Path workerJar;
    private final Path dir;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final List<Process> coordinators = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();

    LocalCluster(Path coordinatorJar, Path workerJar, Path dir, int size) {
        this.coordinatorJar = coordinatorJar;
        this.workerJar = workerJar;
        this.dir = dir;
        for (int i = 1; i <= size; i++) {
            raftAddresses.add("127.0.0.1:" + (7100 + i));
            urls.add(URI.create("http://127.0.0.1:" + (8080 + i)));
        }
    }

    void startCoordinators() throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < raftAddresses.size(); i++) {
            coordinators.add(start(List.of(java, "-Xmx512m", "-Dlogback.middleware.log.disable=true", "-jar",
                    coordinatorJar.toString(), "--server.port=" + urls.get(i).getPort(),
                    "--flowraft.raft.address=" + raftAddresses.get(i),
                    "--flowraft.raft.peers=" + String.join(",", raftAddresses),
                    "--flowraft.raft.data-dir=" + dir.resolve("coordinator-" + (i + 1))), "coordinator-" + (i + 1)));
        }
    }

    void startWorkers(int count) throws IOException {
        String coordinatorUrls = String.join(",", urls.stream().map(URI::toString).toList());
        for (int i = 1; i <= count; i++) {
            workers.add(start(List.of(java, "-Xmx256m", "-jar", workerJar.toString(), "--server.port=" + (8090 + i),
                    "--flowraft.worker.coordinators=" + coordinatorUrls, "--flowraft.worker.worker-id=demo-worker-" + i),
                    "worker-" + i));
        }
    }

    private Process start(List<String> command, String name) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
    }

    boolean coordinatorsReady() {
        for (int i = 0; i < urls.size(); i++) {
            if (coordinators.get(i).isAlive() && !new FlowRaftClient(urls.get(i)).isReady()) {
                return false;
            }
        }
        return true;
    }

    boolean workersReady() {
        for (int i = 0; i < workers.size(); i++) {
            if (!new FlowRaftClient(URI.create("http://127.0.0.1:" + (8091 + i))).isReady()) {
                return false;
            }
        }
        return true;
    }

    /** A client of every coordinator still running. */
    List<FlowRaftClient> liveClients() {
        List<FlowRaftClient> clients = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            if (coordinators.get(i).isAlive()) {
                clients.add(new FlowRaftClient(urls.get(i), Duration.ofSeconds(10)));
            }
        }
        return clients;
    }

    /** The leader's number (0-based) as a live coordinator reports it. */
    Optional<Integer> leader() {
        for (FlowRaftClient client : liveClients()) {
            try {
                ClusterView view = client.clusterStale();
                int index = raftAddresses.indexOf(view.leader());
                if (index >= 0 && coordinators.get(index).isAlive()) {
                    return Optional.of(index);
                }
            } catch (RuntimeException e) {
                // ask the next one
            }
        }
        return Optional.empty();
    }

    String raftAddress(int i) {
        return raftAddresses.get(i);
    }

    /** SIGKILL: the process gets no chance to hand anything over. */
    void killCoordinator(int i) throws InterruptedException {
        coordinators.get(i).destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.addAll(coordinators);
        all.forEach(Process::destroy); // SIGTERM: workers drain, coordinators hand leadership over
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    static void requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UncheckedIOException(new IOException("Not built: " + path + " (run ./flowraft build)"));
        }
    }
}
