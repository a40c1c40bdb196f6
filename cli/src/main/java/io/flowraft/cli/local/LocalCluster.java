package io.flowraft.cli.local;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.local.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Coordinator and worker processes on loopback, started from the built jars, with data and logs under one
 * directory: what {@code ./flowraft demo} and {@code ./flowraft bench} run on. With {@link Options#fixedPorts()}
 * coordinator i (1-based) listens on HTTP 8080+i and Raft 7100+i and worker j on 8090+j; otherwise every port
 * is a free one picked when the cluster is created (management ports: 9080+i, or free ones).
 *
 * <p>Each cluster makes fresh keys ({@link LocalCredentials}) and writes them to {@code <dir>/credentials.env}:
 * coordinators run secure, as they would anywhere else.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * How the processes are started.
     *
     * @param fixedPorts        the well-known ports above, or free ones
     * @param coordinatorJvm    JVM options of each coordinator (heap, GC, JFR...)
     * @param coordinatorArgs   Spring properties added to each coordinator's command line
     * @param workerJvm         JVM options of each worker
     * @param workerArgs        Spring properties added to each worker's command line
     */
    public record Options(boolean fixedPorts, List<String> coordinatorJvm, List<String> coordinatorArgs,
            List<String> workerJvm, List<String> workerArgs) {

        public Options {
            coordinatorJvm = List.copyOf(coordinatorJvm);
            coordinatorArgs = List.copyOf(coordinatorArgs);
            workerJvm = List.copyOf(workerJvm);
            workerArgs = List.copyOf(workerArgs);
        }

        /** The demo's: well-known ports, 512 MiB coordinators, 256 MiB workers. */
        public static Options demo() {
            return new Options(true, List.of("-Xmx512m"), List.of(), List.of("-Xmx256m"), List.of());
        }
    }

    private final Path coordinatorJar;
    private final Path workerJar;
    private final Path dir;
    private final Options options;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final List<Process> coordinators = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final List<URI> workerUrls = new ArrayList<>();
    private final List<String> raftAddresses = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();
    private final List<URI> managementUrls = new ArrayList<>();
    private final LocalCredentials credentials = LocalCredentials.generate();
    /** One client per process, reused: each holds an HTTP client, and the waits poll every few ms. */
    private final List<FlowRaftClient> coordinatorClients = new ArrayList<>();
    private final List<FlowRaftClient> workerClients = new ArrayList<>();
    /** Ctrl-C on the JVM that started the processes must not leave them running. */
    private final Thread reaper = new Thread(this::destroyAll, "local-cluster-reaper");

    public LocalCluster(Path coordinatorJar, Path workerJar, Path dir, int size) {
        this(coordinatorJar, workerJar, dir, size, Options.demo());
    }

    public LocalCluster(Path coordinatorJar, Path workerJar, Path dir, int size, Options options) {
        this.coordinatorJar = coordinatorJar;
        this.workerJar = workerJar;
        this.dir = dir;
        this.options = options;
        for (int i = 1; i <= size; i++) {
            raftAddresses.add("127.0.0.1:" + (options.fixedPorts() ? 7100 + i : FreePorts.next()));
            urls.add(URI.create("http://127.0.0.1:" + (options.fixedPorts() ? 8080 + i : FreePorts.next())));
            managementUrls.add(URI.create("http://127.0.0.1:" + (options.fixedPorts() ? 9080 + i : FreePorts.next())));
            coordinatorClients.add(new FlowRaftClient(urls.getLast(), Duration.ofSeconds(10),
                    ClientCredentials.bearer(credentials.adminKey())));
        }
    }

    public void startCoordinators() throws IOException {
        Files.createDirectories(dir);
        credentials.write(dir);
        Runtime.getRuntime().addShutdownHook(reaper);
        for (int i = 0; i < raftAddresses.size(); i++) {
            coordinators.add(startCoordinator(i));
        }
    }

    private Process startCoordinator(int i) throws IOException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.coordinatorJvm());
        command.addAll(List.of("-Dlogback.middleware.log.disable=true", "-jar", coordinatorJar.toString(),
                "--server.port=" + urls.get(i).getPort(), "--flowraft.raft.address=" + raftAddresses.get(i),
                "--management.server.port=" + managementUrls.get(i).getPort(),
                "--flowraft.raft.peers=" + String.join(",", raftAddresses),
                "--flowraft.raft.data-dir=" + dataDir(i)));
        command.addAll(credentials.coordinatorArguments());
        command.addAll(options.coordinatorArgs());
        return start(command, "coordinator-" + (i + 1), Map.of("FLOWRAFT_CLUSTER_SECRET", credentials.clusterSecret()));
    }

    public void startWorkers(int count) throws IOException {
        String coordinatorUrls = String.join(",", urls.stream().map(URI::toString).toList());
        for (int n = 0; n < count; n++) {
            int j = workers.size() + 1;
            URI url = URI.create("http://127.0.0.1:" + (options.fixedPorts() ? 8090 + j : FreePorts.next()));
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(options.workerJvm());
            command.addAll(List.of("-jar", workerJar.toString(), "--server.port=" + url.getPort(),
                    "--flowraft.worker.coordinators=" + coordinatorUrls, "--flowraft.worker.worker-id=worker-" + j));
            command.addAll(options.workerArgs());
            workers.add(start(command, "worker-" + j, Map.of("FLOWRAFT_WORKER_KEY", credentials.workerKey())));
            workerUrls.add(url);
            workerClients.add(new FlowRaftClient(url, Duration.ofSeconds(10)));
        }
    }

    private Process start(List<String> command, String name, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        builder.environment().putAll(environment);
        if (command.stream().anyMatch(arg -> arg.startsWith("-XX:StartFlightRecording"))) {
            // HotSpot suspends threads for JFR's samples with SIGUSR2, and SOFAJRaft installs a SIGUSR2 handler
            // that writes its metrics to a file: each sample would run it. Move HotSpot's signal elsewhere.
            builder.environment().put("_JAVA_SR_SIGNUM", "39");
        }
        return builder.start();
    }

    public boolean coordinatorsReady() {
        for (int i = 0; i < urls.size(); i++) {
            if (coordinators.get(i).isAlive() && !coordinatorClients.get(i).isReady()) {
                return false;
            }
        }
        return true;
    }

    public boolean workersReady() {
        for (FlowRaftClient worker : workerClients) {
            if (!worker.isReady()) {
                return false;
            }
        }
        return true;
    }

    /** A client of every coordinator still running. */
    public List<FlowRaftClient> liveClients() {
        List<FlowRaftClient> clients = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            if (coordinators.get(i).isAlive()) {
                clients.add(coordinatorClients.get(i));
            }
        }
        return clients;
    }

    /** The leader's number (0-based) as a live coordinator reports it. */
    public Optional<Integer> leader() {
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

    public int size() {
        return urls.size();
    }

    public String raftAddress(int i) {
        return raftAddresses.get(i);
    }

    public URI coordinatorUrl(int i) {
        return urls.get(i);
    }

    /** Coordinator i's management port (health details, Prometheus). */
    public URI managementUrl(int i) {
        return managementUrls.get(i);
    }

    public List<URI> managementUrls() {
        return List.copyOf(managementUrls);
    }

    /** This run's keys, also in {@code <dir>/credentials.env}. */
    public LocalCredentials credentials() {
        return credentials;
    }

    /** {@code <dir>/credentials.env}, written when the coordinators start. */
    public Path credentialsFile() {
        return dir.resolve(LocalCredentials.FILE);
    }

    /** What a client of this cluster presents: the client key. */
    public ClientCredentials clientCredentials() {
        return ClientCredentials.bearer(credentials.clientKey());
    }

    /** What an operator presents: the admin key. */
    public ClientCredentials adminCredentials() {
        return ClientCredentials.bearer(credentials.adminKey());
    }

    public List<URI> coordinatorUrls() {
        return List.copyOf(urls);
    }

    public Process coordinator(int i) {
        return coordinators.get(i);
    }

    public List<Process> workers() {
        return List.copyOf(workers);
    }

    public List<URI> workerUrls() {
        return List.copyOf(workerUrls);
    }

    public Path dataDir(int i) {
        return dir.resolve("coordinator-" + (i + 1));
    }

    /** SIGKILL: the process gets no chance to hand anything over. */
    public void killCoordinator(int i) throws InterruptedException {
        coordinators.get(i).destroyForcibly().waitFor();
    }

    /** SIGTERM, as Kubernetes stops a pod: a leader hands leadership over first. Waits until it has exited. */
    public void stopCoordinator(int i) throws InterruptedException {
        Process process = coordinators.get(i);
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Starts coordinator i again on its ports after it was killed or stopped; with {@code wipe} its data dir is
     * deleted first, so it rejoins empty and the leader must send it a snapshot and the log after it.
     */
    public void restartStopped(int i, boolean wipe) throws IOException {
        if (coordinators.get(i).isAlive()) {
            throw new IllegalStateException("coordinator-" + (i + 1) + " is still running");
        }
        if (wipe) {
            deleteRecursively(dataDir(i));
        }
        coordinators.set(i, startCoordinator(i));
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.addAll(coordinators);
        stop(all); // SIGTERM: workers drain, coordinators hand leadership over
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never started
        }
    }

    private synchronized void destroyAll() {
        workers.forEach(Process::destroyForcibly);
        coordinators.forEach(Process::destroyForcibly);
    }

    private static void stop(List<Process> processes) {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
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

    public static void requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UncheckedIOException(new IOException("Not built: " + path + " (run ./flowraft build)"));
        }
    }

    /** Deletes a directory tree; does nothing if it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
