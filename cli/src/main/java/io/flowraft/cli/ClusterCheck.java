package io.flowraft.cli;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.DefinitionView;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowraft cluster check}: the end-to-end health check (the Helm chart's {@code helm test} pod). The
 * cluster status first, as {@code cluster status} prints it; then one workflow of one task through a worker,
 * which proves that writes commit, workers poll and their reports commit.
 */
@Command(name = "check",
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Check the cluster end to end: print its status (exit " + ExitCodes.NO_LEADER + " without a leader),"
                + " then register the one-task",
                "definition '" + ClusterCheck.DEFINITION + "', submit a workflow of it and wait until it completes. Exit "
                        + ExitCodes.OK + ": completed; " + ExitCodes.REJECTED + ": it failed;",
                ExitCodes.NO_LEADER + ": no leader, or not completed within --timeout (is a worker polling --task-type?); "
                        + ExitCodes.UNAVAILABLE + ": unreachable."})
final class ClusterCheck extends ApiCommand {

    static final String DEFINITION = "flowraft-check";
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    @Option(names = "--task-type", paramLabel = "TYPE", defaultValue = "echo",
            description = "The task type of the check's one task; a worker must handle it (default echo, built into workers).")
    String taskType;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3m",
            description = "How long to wait for the workflow to complete (default 3m).")
    Duration timeout;

    @Option(names = "--no-workflow", description = "Only check that there is a leader, as cluster status does.")
    boolean noWorkflow;

    @Override
    protected int run(FlowRaftClient client) {
        Instant deadline = Instant.now().plus(timeout);
        ClusterView cluster = client.cluster();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("cluster", cluster);
        if (!json()) {
            Views.cluster(out(), cluster);
        }
        if (cluster.leader() == null) {
            err().println("Unhealthy: " + cluster.nodeId() + " knows no leader (an election is running, or there is no"
                    + " quorum).");
            return done(report, ExitCodes.NO_LEADER);
        }
        if (noWorkflow) {
            return done(report, ExitCodes.OK);
        }
        TaskSpec task = new TaskSpec("check", taskType, null, FlowRaftJson.mapper().createObjectNode().put("check", true),
                null, null, null, null, null);
        DefinitionView definition = Retries.until(deadline,
                () -> client.registerDefinition(new RegisterDefinitionRequest(DEFINITION, null, List.of(task))));
        String key = DEFINITION + "-" + UUID.randomUUID();
        String ref = definition.name() + "@" + definition.version();
        WorkflowView workflow = Retries.until(deadline, () -> client.submitWorkflow(new SubmitWorkflowRequest(ref, null,
                FlowRaftJson.mapper().createObjectNode(), key)));
        if (!json()) {
            out().println();
            out().println("Submitted workflow " + workflow.id() + " (" + ref + ", task type '" + taskType + "'); waiting up"
                    + " to " + timeout + " for it to complete.");
            out().flush();
        }
        while (workflow.status() == WorkflowStatus.RUNNING && Instant.now().isBefore(deadline)) {
            Duration left = Duration.between(Instant.now(), deadline);
            String id = workflow.id();
            Duration wait = left.compareTo(LONG_POLL) < 0 ? left : LONG_POLL;
            workflow = Retries.until(deadline, () -> client.awaitWorkflow(id, wait.isNegative() ? Duration.ZERO : wait));
        }
        report.put("workflow", workflow);
        return switch (workflow.status()) {
            case COMPLETED -> {
                if (!json()) {
                    out().println("Workflow " + workflow.id() + " COMPLETED: the cluster commits writes and a worker ran"
                            + " its task.");
                }
                yield done(report, ExitCodes.OK);
            }
            case RUNNING -> {
                err().println("Not completed within " + timeout + ": workflow " + workflow.id() + " is still RUNNING. Is a"
                        + " worker polling task type '" + taskType + "'?");
                yield done(report, ExitCodes.NO_LEADER);
            }
            default -> {
                err().println("Workflow " + workflow.id() + " ended " + workflow.status() + ": " + taskErrors(workflow));
                yield done(report, ExitCodes.REJECTED);
            }
        };
    }

    private int done(Map<String, Object> report, int exitCode) {
        if (json()) {
            print(report, (out, r) -> { });
        }
        return exitCode;
    }

    private static String taskErrors(WorkflowView workflow) {
        return workflow.tasks().stream().filter(t -> t.error() != null).map(t -> t.id() + ": " + t.error())
                .reduce((a, b) -> a + "; " + b).orElse("no task error recorded");
    }
}
