package io.flowraft.contracts;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** One fully populated instance of every wire record, so round-trip tests exercise every field. */
final class Samples {

    /** Records of the package that never travel as JSON objects. */
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static final Set<Class<?>> NOT_ON_WIRE = Set.of(DefinitionRef.class);

    static final Instant CREATED = Instant.parse("2025-01-31T12:00:00Z");
    static final Instant LATER = Instant.parse("2025-01-31T12:00:05.123456789Z");

    private Samples() {
    }

    static JsonNode json(String text) {
        return FlowRaftJson.mapper().readTree(text);
    }

    /** A payload with every kind of JSON value, so JsonNode equality covers more than strings. */
    static JsonNode payload() {
        return json("""
                {"orderId":"o-1","amount":12.5,"count":3,"big":12345678901234,"paid":false,"note":null,
                 "lines":[{"sku":"a","qty":1},{"sku":"b","qty":2}],"tags":[],"name":"Zoë ✓"}""");
    }

    static TaskSpec taskSpec() {
        return new TaskSpec("charge", "payment", List.of("reserve", "validate"), payload(),
                "tasks.reserve.output.ok == true", TriggerRule.NONE_FAILED, new RetryPolicy(5, 500L, 1.5, 30_000L),
                10_000L, new ConcurrencyLimit("payment-gateway", 4));
    }

    static TaskView taskView() {
        return new TaskView("charge", "payment", TaskStatus.LEASED, 2, payload(), json("{\"receipt\":\"r-9\"}"),
                "gateway timeout", List.of("reserve"), CREATED, "4711", "worker-1", LATER, LATER);
    }

    static Lease lease() {
        return new Lease("4711", "w-17", "charge", "payment", 2, payload(), "w-17/charge", LATER, 30_000L, TRACEPARENT);
    }

    static WorkflowSummary workflowSummary() {
        return new WorkflowSummary("w-17", "orders@3", WorkflowStatus.COMPLETED, CREATED, LATER, List.of(stuckReason()));
    }

    static StuckReason stuckReason() {
        return new StuckReason("retry-waiting", "charge", "payment", "Attempt 1 failed (gateway timeout)");
    }

    static HistoryEntry historyEntry() {
        return new HistoryEntry(42, CREATED, "LeaseGranted", "charge", 2, "4711", "granted to worker-1");
    }

    /** Every component set, as the round-trip tests need; a real result has a report or a problem, not both. */
    private static ReportBatchResponse.Result reportResult() {
        return new ReportBatchResponse.Result("w-17.charge.4711", 200,
                new ReportResponse("w-17.charge.4711", "w-17", "charge", TaskStatus.COMPLETED, false),
                Problem.of(ProblemType.STALE_LEASE, "lease 4711 is no longer held"));
    }

    static List<Record> all() {
        return List.of(
                new RetryPolicy(5, 500L, 1.5, 30_000L),
                new ConcurrencyLimit("payment-gateway", 4),
                taskSpec(),
                new RegisterDefinitionRequest("orders", 3, List.of(taskSpec())),
                new DefinitionView("orders", 3, List.of(taskSpec()), CREATED),
                new SubmitWorkflowRequest("orders@3", List.of(taskSpec()), payload(), "submit-1"),
                taskView(),
                new WorkflowView("w-17", "orders@3", WorkflowStatus.RUNNING, payload(), List.of(taskView()),
                        CREATED, LATER, WorkflowView.HISTORY, "4bf92f3577b34da6a3ce929d0e0e4736"),
                workflowSummary(),
                new WorkflowPage(List.of(workflowSummary()), "cursor-2"),
                stuckReason(),
                historyEntry(),
                new WorkflowHistory("w-17", List.of(historyEntry())),
                new CancelWorkflowRequest("customer withdrew"),
                new PollRequest("worker-1", List.of("payment", "email"), 10, 30_000L, 60_000L, "poll-1", "short-tasks"),
                lease(),
                new PollResponse(List.of(lease())),
                new CompleteTaskRequest(json("{\"receipt\":\"r-9\"}"), TRACEPARENT),
                new FailTaskRequest("card declined", false, TRACEPARENT),
                new HeartbeatResponse("4711", LATER, 30_000L),
                new ReportResponse("4711", "w-17", "charge", TaskStatus.COMPLETED, true),
                // Every component set, as the round-trip tests need; a real report has output or error, not both.
                new TaskReport("w-17.charge.4711", TaskReport.Outcome.FAILED, json("{\"receipt\":\"r-9\"}"),
                        "card declined", false, TRACEPARENT),
                new ReportBatchRequest(List.of(TaskReport.completed("w-17.charge.4711", null),
                        TaskReport.failed("w-17.ship.4712", "carrier down", true)),
                        new PollRequest("worker-1", List.of("payment"), 2, 0L, 30_000L, "poll-2", "lease-30000ms-report-0")),
                reportResult(),
                // Every component set; a real answer has leases or a problem about them, not both.
                new ReportBatchResponse(List.of(reportResult(), new ReportBatchResponse.Result("w-17.ship.4712", 409, null,
                        Problem.of(ProblemType.STALE_LEASE, "lease 4712 is no longer held"))), List.of(lease()),
                        Problem.of(ProblemType.OVERLOADED, "too many proposals in flight")),
                new SubmitWorkflowBatchRequest(List.of(new SubmitWorkflowRequest("orders@3", List.of(taskSpec()), payload(), "order-17"))),
                new SubmitWorkflowBatchResponse.Result("c91c7005-f788-4b51-878b-d0053b53c5f8", 201,
                        Problem.of(ProblemType.OVERLOADED, "too many proposals in flight")),
                new SubmitWorkflowBatchResponse(List.of(new SubmitWorkflowBatchResponse.Result(
                        "c91c7005-f788-4b51-878b-d0053b53c5f8", 201, null))),
                new WorkflowEndsRequest(List.of("c91c7005-f788-4b51-878b-d0053b53c5f8"), 30_000L),
                new WorkflowEndsResponse.Ended("c91c7005-f788-4b51-878b-d0053b53c5f8", WorkflowStatus.COMPLETED,
                        CREATED),
                new WorkflowEndsResponse(List.of(new WorkflowEndsResponse.Ended("c91c7005-f788-4b51-878b-d0053b53c5f8",
                        WorkflowStatus.FAILED, CREATED)), List.of("0b6a5d3e-0000-4000-8000-000000000000")),
                new ClusterView("n1:8100", "n2:8100", 7, List.of("n1:8100", "n2:8100", "n3:8100"), 1_000, 998,
                        "9f86d081884c7d65"),
                new AddPeerRequest("n4:8100"),
                new EngineSettings(1_000, 262_144, 64, 4_096, 32, 1_000, 8_388_608L, 268_435_456L, 1_234_567L, true,
                        3_600_000L, 86_400_000L, "c-1", 42L),
                new TransferLeaderRequest("n3:8100"),
                new SnapshotView(1_000, 48_213, 35),
                new RateLimit(new BigDecimal("2.5")),
                new TaskTypeView("payment", new RateLimit(new BigDecimal("50"))),
                new TaskTypeList(List.of(new TaskTypeView("sms", new RateLimit(new BigDecimal("0.001"))))),
                Problem.of(ProblemType.NOT_LEADER, "no leader yet")
                        .withInstance(URI.create("/api/v1/workflows"))
                        .withField("definition")
                        .withLeader("n2:8100")
                        .withRetryAfterSeconds(2L)
                        .withReason(RefusalReason.NO_LEADER.code()));
    }

    /**
     * Every public record class compiled into the contract package, found on disk so none can be forgotten. Reads
     * the main output directory (not the class loader's package resource, which may be the test directory).
     */
    static List<Class<?>> wireRecordClasses() {
        try {
            File root = new File(TaskSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            File[] files = new File(root, TaskSpec.class.getPackageName().replace('.', '/'))
                    .listFiles((dir, name) -> name.endsWith(".class"));
            if (files == null) {
                throw new IllegalStateException("Expected the contract classes in a directory, but found " + root);
            }
            return Stream.of(files)
                    .<Class<?>>map(file -> load(TaskSpec.class.getPackageName() + "."
                            + file.getName().substring(0, file.getName().length() - ".class".length())))
                    .filter(Class::isRecord)
                    .filter(type -> Modifier.isPublic(type.getModifiers()))
                    .filter(type -> !NOT_ON_WIRE.contains(type))
                    .sorted(Comparator.comparing(Class::getName))
                    .toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> componentNames(Class<?> recordType) {
        return Arrays.stream(recordType.getRecordComponents()).map(component -> component.getName()).toList();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
