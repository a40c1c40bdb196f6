package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.flowraft.worker.spi.TerminalTaskException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ${secrets.NAME}} on a real cluster: the worker resolves it from a mounted directory for the types allowed
 * it, the handler sees the value, and the value is nowhere the coordinators keep or show anything: not in the
 * reported output or error, the workflow views, the history, or a Raft snapshot's bytes.
 */
@ExtendWith(SharedCluster.class)
class SecretsClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A value unique to this run, so finding it anywhere can only mean it leaked. */
    private final String token = "tok-" + UUID.randomUUID();
    private final Map<String, JsonNode> seen = new ConcurrentHashMap<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger taskLog = (Logger) LoggerFactory.getLogger("io.flowraft.worker.runtime.TaskExecution");

    @TempDir
    Path secretsDir;

    private CoordinatorCluster cluster;
    private FlowRaftClient client;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void start(CoordinatorCluster cluster) throws IOException {
        this.cluster = cluster;
        this.client = cluster.client(0);
        await().atMost(PATIENCE).until(() -> cluster.waitingPolls() == 0);
        // a Kubernetes-style Secret volume: one file per secret, with the trailing newline kubectl often leaves
        Files.writeString(secretsDir.resolve("API_TOKEN"), token + "\n");
        worker = startWorker(cluster.uris(), "secrets-worker", Map.of(
                        "secrets.dir", secretsDir.toString(),
                        "secrets.allowed.secret-echo", "API_TOKEN",
                        "secrets.allowed.secret-leak", "API_TOKEN, OTHER"),
                new Recording("secret-echo"), new Recording("secret-forbidden"), new Leaking());
        // Attached after the worker started: starting a Spring application may reset the logging configuration.
        logs.start();
        taskLog.addAppender(logs);
    }

    @AfterEach
    void stop() {
        worker.close();
        taskLog.detachAppender(logs);
    }

    /** Echoes its input, with the Base64 of every string in it, and remembers what it saw. */
    private final class Recording implements TaskHandler<JsonNode, JsonNode> {
        private final String type;

        Recording(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public JsonNode handle(JsonNode input, TaskContext context) {
            seen.put(type, input);
            ObjectNode output = ((ObjectNode) input).deepCopy();
            output.put("tokenBase64", Base64.getEncoder().encodeToString(input.get("token").asString().getBytes(StandardCharsets.UTF_8)));
            return output;
        }
    }

    /** Fails with the secret in its message, across two lines, as a careless handler or a chatty server would. */
    private final class Leaking implements TaskHandler<JsonNode, JsonNode> {
        @Override
        public String type() {
            return "secret-leak";
        }

        @Override
        public JsonNode handle(JsonNode input, TaskContext context) {
            seen.put(type(), input);
            throw new TerminalTaskException("upstream refused " + input.get("token").asString() + "\r\nINFO forged line");
        }
    }

    private WorkflowView run(String type, WorkflowStatus expected) {
        String input = "{\"token\":\"${secrets.API_TOKEN}\",\"auth\":\"Bearer ${secrets.API_TOKEN}\",\"fromData\":\"${input.note}\"}";
        WorkflowView submitted = client.submitWorkflow(new SubmitWorkflowRequest(null,
                List.of(task("call", type, input, new RetryPolicy(3, 0L, 1.0, 0L), null)),
                TestWorkers.json("{\"note\":\"${secrets.API_TOKEN}\"}"), UUID.randomUUID().toString()));
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> client.getWorkflow(submitted.id()), v -> v.status() == expected);
    }

    @Test
    void shouldResolveSecretsOnTheWorkerOnlyAndKeepTheirValuesOutOfEverythingTheCoordinatorsHold() throws IOException {
        // when a workflow whose input references API_TOKEN runs with an echo-style handler allowed it
        WorkflowView done = run("secret-echo", WorkflowStatus.COMPLETED);
        // and one whose handler fails quoting it, and one of a type that is not allowed it
        WorkflowView leaked = run("secret-leak", WorkflowStatus.FAILED);
        WorkflowView refused = run("secret-forbidden", WorkflowStatus.FAILED);

        // then the handler saw the value, whole and embedded; a reference that came from data stayed text
        assertThat(seen.get("secret-echo").get("token").asString()).isEqualTo(token);
        assertThat(seen.get("secret-echo").get("auth").asString()).isEqualTo("Bearer " + token);
        assertThat(seen.get("secret-echo").get("fromData").asString()).isEqualTo("${secrets.API_TOKEN}");
        // the reported output is redacted, the Base64 form too
        TaskView call = task(done, "call");
        assertThat(call.output().get("token").asString()).isEqualTo("***");
        assertThat(call.output().get("auth").asString()).isEqualTo("Bearer ***");
        assertThat(call.output().get("tokenBase64").asString()).isEqualTo("***");
        // the coordinators kept the reference, never the value
        assertThat(call.input().get("token").asString()).isEqualTo("${secrets.API_TOKEN}");
        // a failure quoting the value is redacted, and fails for good under a terminal error
        assertThat(task(leaked, "call").error()).contains("upstream refused ***").doesNotContain(token);
        assertThat(task(leaked, "call").attempt()).isEqualTo(1);
        // a type not allowed the secret fails for good, naming the secret, without running its handler
        TaskView forbidden = task(refused, "call");
        assertThat(forbidden.attempt()).isEqualTo(1);
        assertThat(forbidden.error()).contains("Secret 'API_TOKEN' is not allowed for task type 'secret-forbidden'");
        assertThat(seen).doesNotContainKey("secret-forbidden");

        // and the value is in no view, no history, on any coordinator
        for (WorkflowView view : List.of(done, leaked, refused)) {
            for (int i = 0; i < cluster.size(); i++) {
                FlowRaftClient node = cluster.client(i);
                assertThat(FlowRaftJson.mapper().writeValueAsString(node.getWorkflow(view.id()))).doesNotContain(token);
                assertThat(FlowRaftJson.mapper().writeValueAsString(node.history(view.id())))
                        .doesNotContain(token);
            }
        }
        // nor in the Raft log's files or a Raft snapshot taken now, which do hold the workflows (their ids and
        // references are found in them)
        for (int i = 0; i < cluster.size(); i++) {
            cluster.client(i).snapshot();
            String snapshots = readAll(cluster.dataDir(i).resolve("snapshot"));
            assertThat(snapshots).as("snapshots of coordinator %d", i)
                    .contains(done.id(), "${secrets.API_TOKEN}").doesNotContain(token);
            String log = readAll(cluster.dataDir(i).resolve("log"));
            assertThat(log).as("Raft log of coordinator %d", i)
                    .contains(refused.id(), "${secrets.API_TOKEN}").doesNotContain(token);
        }
        // the worker's log lines stay single lines and hold no value either
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("upstream refused ***\\r\\nINFO forged line"));
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(token, "\r", "\n"));
    }

    /** Every file under {@code dir}, as ISO-8859-1 text (byte for byte) one after another. */
    private static String readAll(Path dir) throws IOException {
        List<String> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> {
                try {
                    contents.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertThat(contents).as("files in " + dir).isNotEmpty();
        return String.join("\n", contents);
    }
}
