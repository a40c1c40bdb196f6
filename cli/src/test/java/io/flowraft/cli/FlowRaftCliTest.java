package io.flowraft.cli;

import io.flowraft.contracts.local.FreePorts;
import io.flowraft.coordinator.testing.InProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.client.FlowRaftClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every verb of {@code flowraft}, run in this JVM against one real coordinator: human output, {@code --json},
 * problems from the server, input errors caught locally, an unreachable coordinator, and where the URL comes from.
 */
class FlowRaftCliTest {

    private static InProcessCluster coordinator;
    private static String url;

    @TempDir
    Path files;

    @BeforeAll
    static void startCoordinator() {
        coordinator = new InProcessCluster(1).startAll();
        url = coordinator.baseUri(0).toString();
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    /** The CLI against the coordinator, with an empty environment. */
    private static CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url=" + url);
        return CliRun.run(Map.of(), all.toArray(String[]::new));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content);
    }

    /** A two-task definition named {@code name}: charge, then ship. */
    private Path definitionFile(String name) throws IOException {
        return file(name + ".json", """
                {"name": "%s",
                 "tasks": [
                   {"id": "charge", "type": "payment", "input": {"amount": "${input.amount}"}, "retry": {"maxAttempts": 5}},
                   {"id": "ship", "type": "shipping", "dependsOn": ["charge"], "when": "input.amount < 1000"}]}
                """.formatted(name));
    }

    private String submit(String definition, String input) {
        CliRun run = cli("workflow", "submit", "--definition", definition, "--input", input, "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.json().get("id").asString();
    }

    private static List<String> kinds(JsonNode history) {
        return StreamSupport.stream(history.get("entries").spliterator(), false).map(e -> e.get("kind").asString()).toList();
    }

    @Test
    void shouldRegisterADefinitionFromAFileAndReadItBack() throws IOException {
        // given
        Path file = definitionFile("orders");

        // when
        CliRun register = cli("definition", "register", "-f", file.toString());
        CliRun latest = cli("definition", "get", "orders");
        CliRun version1 = cli("definition", "get", "orders", "--version", "1", "--json");

        // then
        assertThat(register.exitCode()).as(register.toString()).isZero();
        assertThat(register.err()).isEmpty();
        assertThat(register.out())
                .contains("Definition:  orders@1\n")
                .contains("Tasks:       2\n")
                .containsPattern("TASK +TYPE +DEPENDS ON +TRIGGER +ATTEMPTS +TIMEOUT +WHEN\n")
                .containsPattern("charge +payment +- +ALL_SUCCESS +5 +300000ms +-\n")
                .containsPattern("ship +shipping +charge +ALL_SUCCESS +3 +300000ms +input.amount < 1000\n");
        assertThat(latest.exitCode()).isZero();
        assertThat(latest.out()).isEqualTo(register.out());
        assertThat(version1.exitCode()).isZero();
        JsonNode definition = version1.json();
        assertThat(definition.get("name").asString()).isEqualTo("orders");
        assertThat(definition.get("version").asInt()).isEqualTo(1);
        assertThat(definition.get("tasks")).hasSize(2);
    }

    @Test
    void shouldSubmitFromADefinitionWithAnIdempotencyKeyAndShowTheWorkflow() throws IOException {
        // given
        assertThat(cli("definition", "register", "-f", definitionFile("shop").toString()).exitCode()).isZero();

        // when
        CliRun submit = cli("workflow", "submit", "--definition", "shop@1", "--input", "{\"amount\": 42}",
                "--idempotency-key", "order-1");
        CliRun again = cli("workflow", "submit", "--definition", "shop@1", "--input", "{\"amount\": 42}",
                "--idempotency-key", "order-1", "--json");
        String id = again.json().get("id").asString();
        CliRun get = cli("workflow", "get", id);

        // then
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(submit.out())
                .contains("Workflow:    " + id + "\n")
                .contains("Definition:  shop@1\n")
                .contains("Status:      RUNNING\n")
                .contains("Input:       {\"amount\":42}\n")
                .containsPattern("charge +payment +READY +0 +- +-\n")
                .containsPattern("ship +shipping +PENDING +0 +charge +-\n");
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).isEqualTo(submit.out());
    }

    @Test
    void shouldSubmitAnInlineDagWithInputFromAFile() throws IOException {
        // given: a bare array of tasks, and an input file
        Path dag = file("dag.json", """
                [{"id": "fetch", "type": "http", "input": {"url": "${input.url}"}},
                 {"id": "parse", "type": "parser", "dependsOn": ["fetch"]}]
                """);
        Path input = file("input.json", "{\"url\": \"https://example.org\"}");

        // when
        CliRun submit = cli("workflow", "submit", "-f", dag.toString(), "--input-file", input.toString(), "--json");
        CliRun inline = cli("workflow", "submit", "--file", dag.toString(), "--input", "{\"url\": \"x\"}");

        // then
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        JsonNode workflow = submit.json();
        assertThat(workflow.has("definition")).isFalse();
        assertThat(workflow.get("input").get("url").asString()).isEqualTo("https://example.org");
        assertThat(workflow.get("tasks").get(0).get("input").get("url").asString()).isEqualTo("https://example.org");
        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(inline.out()).contains("Definition:  (inline DAG)\n")
                .containsPattern("fetch +http +READY +0 +- +-\n");
    }

    @Test
    void shouldListWorkflowsByStatusAndDefinitionPageByPage() throws IOException {
        // given: two workflows of one definition, one of them cancelled
        assertThat(cli("definition", "register", "-f", definitionFile("listing").toString()).exitCode()).isZero();
        String running = submit("listing", "{\"amount\": 1}");
        String cancelled = submit("listing", "{\"amount\": 2}");
        assertThat(cli("workflow", "cancel", cancelled).exitCode()).isZero();

        // when
        CliRun onlyCancelled = cli("workflow", "list", "--definition", "listing", "--status", "cancelled");
        CliRun onlyRunning = cli("workflow", "list", "--definition", "listing@1", "--status", "RUNNING", "--json");
        CliRun firstPage = cli("workflow", "list", "--definition", "listing", "--limit", "1");

        // then
        assertThat(onlyCancelled.exitCode()).as(onlyCancelled.toString()).isZero();
        assertThat(onlyCancelled.out()).containsPattern("ID +DEFINITION +STATUS +CREATED +FINISHED\n")
                .containsPattern(cancelled + " +listing@1 +CANCELLED +\\S+Z +\\S+Z\n")
                .doesNotContain(running);
        assertThat(onlyRunning.json().get("items")).hasSize(1);
        assertThat(onlyRunning.json().get("items").get(0).get("id").asString()).isEqualTo(running);

        // and: the cursor printed under the first page leads to the second
        assertThat(firstPage.out()).contains("More may follow: --cursor ");
        String cursor = firstPage.out().substring(firstPage.out().indexOf("--cursor ") + 9).strip();
        CliRun secondPage = cli("workflow", "list", "--definition", "listing", "--limit", "1", "--cursor", cursor, "--json");
        assertThat(secondPage.exitCode()).as(secondPage.toString()).isZero();
        String first = running.compareTo(cancelled) < 0 ? running : cancelled;
        String second = first.equals(running) ? cancelled : running;
        assertThat(firstPage.out()).contains(first).doesNotContain(second);
        assertThat(secondPage.json().get("items").get(0).get("id").asString()).isEqualTo(second);
    }

    @Test
    void shouldCancelAWorkflowAndShowItsHistory() throws IOException {
        // given
        assertThat(cli("definition", "register", "-f", definitionFile("cancelling").toString()).exitCode()).isZero();
        String id = submit("cancelling", "{\"amount\": 5}");

        // when
        CliRun cancel = cli("workflow", "cancel", id, "--reason", "customer asked");
        CliRun cancelAgain = cli("workflow", "cancel", id);
        CliRun history = cli("workflow", "history", id);
        CliRun historyJson = cli("workflow", "history", id, "--json");

        // then
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).contains("Status:      CANCELLED\n")
                .containsPattern("charge +payment +CANCELLED +0 ")
                .containsPattern("ship +shipping +CANCELLED +0 ");
        assertThat(cancelAgain.exitCode()).isZero();
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains("Workflow:  " + id + "\n")
                .containsPattern("INDEX +AT +KIND +TASK +ATTEMPT +LEASE +DETAIL\n")
                .containsPattern("\\d+ +\\S+Z +WorkflowSubmitted +- +- +- +-\n")
                .containsPattern("\\d+ +\\S+Z +TaskReadied +charge +")
                .containsPattern("\\d+ +\\S+Z +WorkflowCancelled +");
        assertThat(kinds(historyJson.json())).startsWith("WorkflowSubmitted", "TaskReadied").contains("WorkflowCancelled");
    }

    @Test
    void shouldWaitForAWorkflowToEndWithWait() throws Exception {
        // given a one-task workflow, leased by a worker
        Path dag = file("one-task.json", "[{\"id\": \"only\", \"type\": \"cli-wait\"}]");
        CliRun submit = cli("workflow", "submit", "-f", dag.toString(), "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String id = submit.json().get("id").asString();
        FlowRaftClient worker = new FlowRaftClient(coordinator.baseUri(0), Duration.ofSeconds(10));
        List<Lease> leases = worker.poll(new PollRequest("cli-test-worker", List.of("cli-wait"), 1, 5_000L, null, null));
        assertThat(leases).hasSize(1);

        // when the CLI waits, and the worker completes the task once the CLI's request is waiting
        CompletableFuture<CliRun> waiting = CompletableFuture.supplyAsync(() -> cli("workflow", "get", id, "--wait", "30s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> endWaits() == 1);
        worker.complete(leases.getFirst().leaseId(), null);
        CliRun ended = waiting.get(30, TimeUnit.SECONDS);
        // and when it waits for a workflow that does not end (no worker takes its task type)
        CliRun submitStuck = cli("workflow", "submit", "-f",
                file("stuck.json", "[{\"id\": \"only\", \"type\": \"cli-never\"}]").toString(), "--json");
        String stuck = submitStuck.json().get("id").asString();
        CliRun timedOut = cli("workflow", "get", stuck, "--wait", "300ms", "--json");

        // then the first shows the workflow as it ended, the second as it still runs
        assertThat(ended.exitCode()).as(ended.toString()).isZero();
        assertThat(ended.out()).contains("Status:      COMPLETED\n");
        assertThat(timedOut.exitCode()).as(timedOut.toString()).isZero();
        assertThat(timedOut.json().get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void shouldListStuckWorkflowsWithTheirReasons() throws Exception {
        // given a workflow whose task failed and waits ten minutes for its retry
        Path dag = file("backoff.json", "[{\"id\": \"pay\", \"type\": \"cli-backoff\", "
                + "\"retry\": {\"maxAttempts\": 3, \"initialBackoffMs\": 600000, \"maxBackoffMs\": 600000}}]");
        CliRun submit = cli("workflow", "submit", "-f", dag.toString(), "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String id = submit.json().get("id").asString();
        FlowRaftClient worker = new FlowRaftClient(coordinator.baseUri(0), Duration.ofSeconds(10));
        List<Lease> leases = worker.poll(new PollRequest("cli-test-worker", List.of("cli-backoff"), 1, 5_000L, null, null));
        assertThat(leases).hasSize(1);
        worker.fail(leases.getFirst().leaseId(), "card declined", true);

        // when the CLI lists stuck workflows, as a table and as JSON
        CliRun table = cli("workflow", "stuck", "--limit", "500");
        CliRun json = cli("workflow", "stuck", "--limit", "500", "--json");

        // then the workflow is there with its reason, task and detail
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("ID").contains("REASON")
                .containsPattern(java.util.regex.Pattern.quote(id) + " +\\(inline\\) +retry-waiting +pay \\(cli-backoff\\) +"
                        + "Attempt 1 failed \\(card declined\\)");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode item = StreamSupport.stream(json.json().get("items").spliterator(), false)
                .filter(i -> i.get("id").asString().equals(id)).findFirst().orElseThrow();
        JsonNode reason = item.get("stuckReasons").get(0);
        assertThat(reason.get("code").asString()).isEqualTo("retry-waiting");
        assertThat(reason.get("taskId").asString()).isEqualTo("pay");
        assertThat(reason.get("taskType").asString()).isEqualTo("cli-backoff");
        assertThat(item.get("status").asString()).isEqualTo("RUNNING");

        // and once cancelled it is gone
        cli("workflow", "cancel", id);
        assertThat(cli("workflow", "stuck", "--limit", "500").out()).doesNotContain(id);
    }

    /** Requests waiting on the coordinator for a workflow to end. */
    private static double endWaits() {
        return coordinator.context(0).getBean(MeterRegistry.class).get("flowraft.workflow.end.waiting").gauge().value();
    }

    @Test
    void shouldTakeASnapshotOnDemand() throws IOException {
        // given something to snapshot
        assertThat(cli("definition", "register", "-f", definitionFile("snapshotting").toString()).exitCode()).isZero();
        String id = submit("snapshotting", "{\"amount\": 1}");
        long applied = cli("cluster", "status", "--json").json().get("appliedIndex").asLong();

        // when
        CliRun snapshot = cli("cluster", "snapshot");
        CliRun json = cli("cluster", "snapshot", "--json");

        // then each took a snapshot of everything applied before it was asked for
        assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
        assertThat(snapshot.out()).containsPattern("Snapshot index: +\\d+\n").containsPattern("Size: +[\\d,]+ bytes\n")
                .containsPattern("Took: +\\d+ ms\n");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().get("index").asLong()).isGreaterThanOrEqualTo(applied);
        assertThat(json.json().get("bytes").asLong()).isPositive();
        assertThat(cli("workflow", "get", id).exitCode()).isZero();
    }

    @Test
    void shouldShowAndChangeTheEngineLimits() {
        // given the limits the cluster committed
        CliRun before = cli("cluster", "limits", "--json");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        long budget = before.json().get("maxStateBytes").asLong();

        // when the state budget is raised, then every limit is shown, the new budget in force
        CliRun raised = cli("cluster", "limits", "--max-state-bytes", Long.toString(budget + 1_048_576));
        assertThat(raised.exitCode()).as(raised.toString()).isZero();
        assertThat(raised.out()).containsPattern("State budget: +" + String.format(java.util.Locale.ROOT, "%,d",
                budget + 1_048_576) + " bytes\n").containsPattern("State holds: +[\\d,]+ bytes\n")
                .contains("Committed:");
        assertThat(cli("cluster", "limits", "--json").json().get("maxStateBytes").asLong()).isEqualTo(budget + 1_048_576);

        // and a value the engine refuses is explained, and changes nothing
        CliRun refused = cli("cluster", "limits", "--max-payload-bytes", "1073741824");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(refused.err()).contains("maxPayloadBytes");
        assertThat(cli("cluster", "limits", "--max-state-bytes", Long.toString(budget)).exitCode()).isZero();
    }

    @Test
    void shouldShowAndChangeTheRetention() {
        // given the retention in force, shown with the cluster's id and export position
        CliRun before = cli("cluster", "limits", "--json");
        long keys = before.json().get("idempotencyKeyRetentionMs").asLong();
        assertThat(cli("cluster", "limits").out()).containsPattern("Finished workflows kept: +\\S+\n")
                .containsPattern("Cluster id: +[0-9a-f]{32}\n").containsPattern("Exported through: +log index \\d+\n");

        // when finished workflows are kept for two hours, then that is in force, the key retention untouched
        CliRun changed = cli("cluster", "limits", "--finished-retention", "2h");
        assertThat(changed.exitCode()).as(changed.toString()).isZero();
        assertThat(changed.out()).containsPattern("Finished workflows kept: +2h\n");
        assertThat(cli("cluster", "limits", "--json").json().get("finishedRetentionMs").asLong()).isEqualTo(7_200_000L);
        assertThat(cli("cluster", "limits", "--json").json().get("idempotencyKeyRetentionMs").asLong()).isEqualTo(keys);

        // and a retention the engine refuses is explained
        CliRun refused = cli("cluster", "limits", "--idempotency-key-retention", "400d");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(refused.err()).contains("idempotencyKeyRetentionMs");
        assertThat(cli("cluster", "limits", "--finished-retention", "PT1H").exitCode()).isZero();
    }

    @Test
    void shouldReportAHealthyClusterWithExitCodeZero() {
        // when
        CliRun status = cli("cluster", "status");
        CliRun json = cli("cluster", "status", "--json");

        // then
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode view = json.json();
        String leader = view.get("leader").asString();
        assertThat(view.get("peers")).hasSize(1);
        assertThat(view.get("appliedIndex").asLong()).isPositive();
        assertThat(view.get("stateDigest").asString()).hasSize(64);
        assertThat(status.out()).contains("Leader:         " + leader + "\n")
                .containsPattern("Term: +\\d+\n")
                .containsPattern("Applied index: +\\d+\n")
                .containsPattern("State digest: +[0-9a-f]{64}\n")
                .contains(leader + "  leader (this node)\n");
        assertThat(status.err()).isEmpty();
    }

    @Test
    void shouldPrintEveryAnswerAsOneJsonDocumentWithTheJsonFlag() throws IOException {
        // given
        String definition = definitionFile("everything").toString();
        CliRun register = cli("definition", "register", "-f", definition, "--json");
        String id = submit("everything", "{\"amount\": 7}");

        // when
        List<CliRun> runs = List.of(
                register,
                cli("definition", "get", "everything", "--json"),
                cli("workflow", "submit", "-f", definition, "--json"),
                cli("workflow", "get", id, "--json"),
                cli("workflow", "list", "--status", "running", "--json"),
                cli("workflow", "history", id, "--json"),
                cli("workflow", "cancel", id, "--json"),
                cli("cluster", "status", "--json"));

        // then: each prints exactly one JSON object, which --json-less output never is
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.json().isObject()).as(run.toString()).isTrue();
        });
        assertThat(runs.get(3).out()).startsWith("{\n  \"id\": \"" + id + "\",\n").contains("\"dependsOn\": [],\n")
                .endsWith("}\n");
        assertThat(runs.get(0).json().get("version").asInt()).isEqualTo(1);
        assertThat(runs.get(2).json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(runs.get(4).json().get("items").isArray()).isTrue();
        assertThat(runs.get(6).json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(runs.get(7).json().get("nodeId").asString()).isNotEmpty();
    }

    @Test
    void shouldExplainARejectedDefinitionOnStderrAndExitWithOne() throws IOException {
        // given: a DAG with a cycle
        Path cyclic = file("cyclic.json", """
                {"name": "cyclic", "tasks": [
                  {"id": "a", "type": "t", "dependsOn": ["b"]},
                  {"id": "b", "type": "t", "dependsOn": ["a"]}]}
                """);

        // when
        CliRun run = cli("definition", "register", "-f", cyclic.toString());

        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Error: Invalid workflow DAG (HTTP 422, invalid-dag)\n")
                .contains("cycle").contains("a -> b -> a").contains("  field: tasks\n")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldExplainAnUnusableFileWithoutAStackTrace() throws IOException {
        // given
        Path wrongType = file("wrong-type.json", """
                {"name": "typed", "tasks": [{"id": "a", "type": "t", "timeoutMs": "soon"}]}
                """);
        Path truncated = file("truncated.json", "{\"name\": \"cut\", \"tasks\": [");

        // when
        CliRun wrong = cli("definition", "register", "-f", wrongType.toString());
        CliRun cut = cli("definition", "register", "-f", truncated.toString());
        CliRun missing = cli("definition", "register", "-f", files.resolve("absent.json").toString());
        CliRun badInput = cli("workflow", "submit", "--definition", "whatever", "--input", "{amount: 1}");

        // then
        assertThat(List.of(wrong, cut, missing, badInput)).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("Error: ").doesNotContain("\tat ");
        });
        assertThat(wrong.err()).contains(wrongType + " is not a valid RegisterDefinitionRequest")
                .contains("(at tasks[0].timeoutMs, line 1, column ");
        assertThat(cut.err()).contains(truncated + " is not a valid RegisterDefinitionRequest").contains("Unexpected end-of-input").contains("(at tasks, line 1, column ")
                .doesNotContain("Source");
        assertThat(missing.err()).contains("absent.json: no such file");
        assertThat(badInput.err()).contains("--input is not valid JSON");
    }

    @Test
    void shouldReportAnUnknownWorkflowAsNotFoundWithExitCodeOne() {
        // when
        CliRun run = cli("workflow", "get", "no-such-workflow");

        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).startsWith("Error: Workflow not found (HTTP 404, workflow-not-found)\n")
                .contains("  field: workflowId\n");
    }

    @Test
    void shouldSayClearlyWhenNoCoordinatorAnswersAndExitWithTwo() {
        // given: a port nothing listens on
        String nowhere = "http://127.0.0.1:" + FreePorts.next();

        // when
        CliRun run = CliRun.run(Map.of(), "workflow", "list", "--url", nowhere);
        CliRun verbose = CliRun.run(Map.of(), "workflow", "list", "--url", nowhere, "--verbose");

        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("Error: no answer from the coordinator at " + nowhere + ": connection refused\n"
                + "  Is it running? Set --url or FLOWRAFT_URL to a coordinator's HTTP address.\n");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(verbose.err()).contains("java.net.ConnectException").contains("\tat ");
    }

    @Test
    void shouldTakeTheUrlFromFlowraftUrlUnlessUrlIsGiven() {
        // given
        Map<String, String> environment = Map.of(FlowRaftCli.URL_ENV, url);
        String nowhere = "http://127.0.0.1:" + FreePorts.next();

        // when
        CliRun fromEnvironment = CliRun.run(environment, "cluster", "status");
        CliRun overridden = CliRun.run(environment, "cluster", "status", "--url", nowhere);

        // then
        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isZero();
        assertThat(overridden.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(overridden.err()).contains(nowhere);
    }

    @Test
    void shouldAcceptTheGlobalOptionsBeforeTheNoun() {
        // when
        CliRun run = CliRun.run(Map.of(), "--json", "--url", url, "cluster", "status");

        // then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.json().get("leader").asString()).isNotEmpty();
    }
}
