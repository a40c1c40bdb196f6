package io.flowraft.coordinator.it;

import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.local.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One coordinator JVM started from the packaged jar, with its own HTTP port, Raft port, data dir and log
 * file. It can be killed with SIGKILL, paused with SIGSTOP and resumed, and started again on the same data.
 */
final class CoordinatorProcess {

    private final int httpPort;
    private final int managementPort = FreePorts.next();
    private final String raftAddress;
    private final List<String> peers;
    private final Path dataDir;
    private final Path logFile;
    private int electionTimeoutMs;
    private final List<String> extraArgs;
    private Process process;
    /**
     * The cluster secret of the coordinators this test JVM starts, so that they forward to one another
     * authenticated; passed in the environment, as an operator would, rather than on the command line.
     */
    private static final String CLUSTER_SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));

    CoordinatorProcess(int httpPort, String raftAddress, List<String> peers, Path dataDir, Path logFile,
            int electionTimeoutMs, List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
        this.httpPort = httpPort;
        this.raftAddress = raftAddress;
        this.peers = peers;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.electionTimeoutMs = electionTimeoutMs;
    }

    static Path jar() {
        String jar = System.getProperty("flowraft.coordinator.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("Coordinator jar not found at " + jar + "; run through 'mvn verify' (./flowraft test)");
        }
        return Path.of(jar);
    }

    void start() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlogback.middleware.log.disable=true", "-jar", jar().toString(),
                "--server.port=" + httpPort,
                "--management.server.port=" + managementPort,
                // what these tests are about is processes and faults; authentication is tested on its own
                "--flowraft.security.mode=insecure-local",
                "--flowraft.raft.address=" + raftAddress,
                "--flowraft.raft.peers=" + String.join(",", peers),
                "--flowraft.raft.data-dir=" + dataDir,
                "--flowraft.raft.election-timeout-ms=" + electionTimeoutMs,
                "--logging.level.com.alipay=ERROR"));
        command.addAll(extraArgs);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("FLOWRAFT_RAFT_CLUSTERSECRET", CLUSTER_SECRET);
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes effect at the next {@link #start()}. */
    void electionTimeoutMs(int electionTimeoutMs) {
        this.electionTimeoutMs = electionTimeoutMs;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no leadership handover. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM: the graceful path (leadership handed over, in-flight requests finished). */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    void pause() {
        signal("-STOP");
    }

    void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + signal + " failed with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The management port's base URI: health details and Prometheus. */
    URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    FlowRaftClient client() {
        return new FlowRaftClient(baseUri(), Duration.ofSeconds(10));
    }

    String raftAddress() {
        return raftAddress;
    }

    Path logFile() {
        return logFile;
    }

    /** Whether /actuator/health/readiness answers 200. */
    boolean isReady() {
        return client().isReady();
    }
}
