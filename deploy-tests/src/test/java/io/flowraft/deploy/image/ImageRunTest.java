package io.flowraft.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.local.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images run: each is started as a local process from its extracted root, with the image's own java, classpath
 * and environment, configured the way a container is (FLOWRAFT_* and Spring environment variables), on free
 * loopback ports. One coordinator (a single-node cluster, insecure-local) serves the worker and the CLI.
 *
 * <p>The processes run as this user, not as 65532 (the image's user); ImageConfigTest checks the user setting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageRunTest {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;

    private final List<Process> started = new ArrayList<>();
    private final int apiPort = FreePorts.next();
    private final int raftPort = FreePorts.next();
    private Process coordinator;

    @BeforeAll
    void startCoordinator() throws IOException {
        String raftAddress = "127.0.0.1:" + raftPort;
        coordinator = start("coordinator", List.of(), Map.of(
                "SERVER_PORT", Integer.toString(apiPort),
                "MANAGEMENT_SERVER_PORT", Integer.toString(FreePorts.next()),
                "FLOWRAFT_RAFT_ADDRESS", raftAddress,
                "FLOWRAFT_RAFT_PEERS", raftAddress,
                // the image's /var/lib/flowraft/raft is a host path here
                "FLOWRAFT_RAFT_DATA_DIR", dir.resolve("raft").toString(),
                "FLOWRAFT_SECURITY_MODE", "insecure-local",
                "JAVA_TOOL_OPTIONS", "-Xmx256m -XX:+UseSerialGC",
                "LOGGING_LEVEL_COM_ALIPAY", "ERROR"));
        awaitOk(coordinator, "coordinator", "http://127.0.0.1:" + apiPort + "/actuator/health/readiness");
    }

    @AfterAll
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldRunTheCoordinatorOnTheImagesJavaAndAnswerItsProbes() throws Exception {
        assertThat(coordinator.info().command()).contains(BuiltImages.extracted("coordinator").java().toString());
        assertThat(get("http://127.0.0.1:" + apiPort + "/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("http://127.0.0.1:" + apiPort + "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(Files.list(dir.resolve("raft"))).as("Raft data where FLOWRAFT_RAFT_DATA_DIR says").isNotEmpty();
    }

    @Test
    void shouldStartTheWorkerAndExitZeroOnSigterm() throws Exception {
        int workerPort = FreePorts.next();
        Process worker = start("worker", List.of(), Map.of(
                "SERVER_PORT", Integer.toString(workerPort),
                "FLOWRAFT_WORKER_COORDINATORS", "http://127.0.0.1:" + apiPort,
                "FLOWRAFT_WORKER_SHUTDOWN_GRACE", "5s",
                "JAVA_TOOL_OPTIONS", "-Xmx192m -XX:+UseSerialGC"));
        awaitOk(worker, "worker", "http://127.0.0.1:" + workerPort + "/actuator/health/readiness");

        worker.destroy(); // SIGTERM, as the kubelet sends it

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("worker stopped within 60 s of SIGTERM").isTrue();
        assertThat(worker.exitValue()).as("exit code; see " + log("worker")).isZero();
    }

    @Test
    void shouldRunTheCliImagesClusterStatusAgainstTheCoordinator() throws Exception {
        Process cli = start("cli", List.of("cluster", "status"), Map.of(
                "FLOWRAFT_URL", "http://127.0.0.1:" + apiPort,
                "JAVA_TOOL_OPTIONS", "-Xmx64m -XX:+UseSerialGC"));

        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log("cli"));
        assertThat(cli.exitValue()).as(output).isZero();
        assertThat(output).contains("127.0.0.1:" + raftPort);
    }

    private Process start(String image, List<String> args, Map<String, String> env) throws IOException {
        Process process = BuiltImages.extracted(image).processBuilder(args, env)
                .redirectErrorStream(true).redirectOutput(log(image).toFile()).start();
        started.add(process);
        return process;
    }

    private Path log(String image) {
        return dir.resolve(image + ".log");
    }

    private void awaitOk(Process process, String image, String url) {
        await(image + " answering " + url).atMost(STARTUP).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(image + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log(image)));
            }
            try {
                return get(url).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
