package io.flowraft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./flowraft up} as a user runs it: the script starts three coordinators and a worker with fresh keys,
 * writes them to {@code <dir>/credentials.env}, and everything a user then does goes through those keys.
 */
class FlowRaftUpIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final URI COORDINATOR = URI.create("http://127.0.0.1:8082");

    private Process up;
    private Path dir;
    private Path output;

    @AfterEach
    void stop() throws Exception {
        if (up != null && up.isAlive()) {
            up.destroy(); // SIGTERM: the script stops its processes
            if (!up.waitFor(60, TimeUnit.SECONDS)) {
                up.descendants().forEach(ProcessHandle::destroyForcibly);
                up.destroyForcibly();
            }
        }
        if (dir != null) {
            LocalCluster.deleteRecursively(dir);
        }
    }

    @Test
    void shouldRunAWorkflowWithTheKeysItGenerated() throws Exception {
        // given a local cluster started by the script
        dir = Files.createTempDirectory("flowraft-up-it");
        output = dir.resolve("up.out");
        up = new ProcessBuilder(ROOT.resolve("flowraft").toString(), "up", "--dir", dir.resolve("run").toString(),
                "--workers", "1").directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> !up.isAlive() || Files.readString(output).contains("FlowRaft is up."));
        assertThat(up.isAlive()).as(Files.readString(output)).isTrue();

        // then it wrote its keys in shell syntax, readable by the owner only, and said where
        Path credentials = dir.resolve("run").resolve("credentials.env");
        assertThat(Files.readString(output)).contains(credentials.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        Map<String, String> keys = read(credentials);
        assertThat(keys).containsKeys("FLOWRAFT_ADMIN_KEY", "FLOWRAFT_CLIENT_KEY", "FLOWRAFT_WORKER_KEY");
        assertThat(keys.values()).allSatisfy(key -> assertThat(key).matches("[A-Za-z0-9_-]{40,}")).doesNotHaveDuplicates();

        // and without a key nothing but the probes answers
        assertThat(status(null, "/api/v1/workflows")).isEqualTo(401);
        assertThat(status(null, "/actuator/health/readiness")).isEqualTo(200);
        assertThat(status(keys.get("FLOWRAFT_CLIENT_KEY") + "x", "/api/v1/workflows")).isEqualTo(401);

        // when a client registers a definition and submits a workflow with the client key
        FlowRaftClient client = new FlowRaftClient(COORDINATOR, Duration.ofSeconds(30),
                ClientCredentials.bearer(keys.get("FLOWRAFT_CLIENT_KEY")));
        client.registerDefinition(new RegisterDefinitionRequest("up-it", null, List.of(
                task("a", List.of()), task("b", List.of("a")))));
        WorkflowView submitted = client.submitWorkflow(new SubmitWorkflowRequest("up-it", null,
                FlowRaftJson.mapper().readTree("{\"n\": 1}"), null), null);

        // then the worker, which got the worker key from the script, runs it to completion
        WorkflowView done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == WorkflowStatus.COMPLETED);
        assertThat(done.tasks()).hasSize(2);
        // and each key does only what its role may
        FlowRaftClient worker = new FlowRaftClient(COORDINATOR, Duration.ofSeconds(30),
                ClientCredentials.bearer(keys.get("FLOWRAFT_WORKER_KEY")));
        assertThat(catchThrowableOfType(FlowRaftProblemException.class, () -> worker.getWorkflow(submitted.id()))
                .status()).isEqualTo(403);
        FlowRaftClient admin = new FlowRaftClient(COORDINATOR, Duration.ofSeconds(30),
                ClientCredentials.bearer(keys.get("FLOWRAFT_ADMIN_KEY")));
        assertThat(admin.cluster().peers()).hasSize(3);

        // and the CLI verbs of the script use the admin key of the credentials file, and without one say what to do
        Process without = start(List.of(ROOT.resolve("flowraft").toString(), "workflow", "get", submitted.id()),
                Map.of("FLOWRAFT_CREDENTIALS", dir.resolve("none.env").toString(), "FLOWRAFT_URL", COORDINATOR.toString()));
        String refused = new String(without.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(without.waitFor()).as(refused).isEqualTo(1);
        assertThat(refused).contains("401", "--api-key", "FLOWRAFT_API_KEY");
        Process withFile = start(List.of(ROOT.resolve("flowraft").toString(), "workflow", "get", submitted.id()),
                Map.of("FLOWRAFT_CREDENTIALS", credentials.toString(), "FLOWRAFT_URL", COORDINATOR.toString()));
        String shown = new String(withFile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(withFile.waitFor()).as(shown).isZero();
        assertThat(shown).contains(submitted.id(), "COMPLETED");
    }

    private static TaskSpec task(String id, List<String> dependsOn) {
        return new TaskSpec(id, "echo", dependsOn, FlowRaftJson.mapper().readTree("{\"n\": \"${input.n}\"}"),
                null, null, null, null, null);
    }

    private static Process start(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("FLOWRAFT_API_KEY");
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Map<String, String> read(Path credentials) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(credentials)) {
            int eq = line.indexOf('=');
            assertThat(eq).as("shell assignment: " + line).isPositive();
            keys.put(line.substring(0, eq), line.substring(eq + 1));
        }
        keys.remove("FLOWRAFT_CLUSTER_SECRET");
        return keys;
    }

    private static int status(String key, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(COORDINATOR.resolve(path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
