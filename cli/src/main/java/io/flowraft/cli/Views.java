package io.flowraft.cli;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.DefinitionView;
import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.StuckReason;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.PrintWriter;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The readable (non-{@code --json}) rendering of each answer: a block of fields for the object, then a table of its
 * parts. Everything comes from the answer alone, in the server's order, so the same answer prints the same text.
 */
final class Views {

    /** Longest JSON shown in a table cell or field; {@code --json} shows everything. */
    private static final int MAX_JSON = 120;

    private Views() {
    }

    static void definition(PrintWriter out, DefinitionView definition) {
        new Fields()
                .add("Definition", definition.reference())
                .add("Registered", definition.registeredAt())
                .add("Tasks", definition.tasks().size())
                .print(out);
        out.println();
        Table table = new Table("TASK", "TYPE", "DEPENDS ON", "TRIGGER", "ATTEMPTS", "TIMEOUT", "WHEN");
        for (TaskSpec task : definition.tasks()) {
            table.row(task.id(), task.type(), list(task.dependsOn()), task.effectiveTrigger(),
                    task.effectiveRetry().maxAttempts(), task.timeoutMs() == null ? null : task.timeoutMs() + "ms",
                    task.when());
        }
        table.print(out);
    }

    static void workflow(PrintWriter out, WorkflowView workflow) {
        new Fields()
                .add("Workflow", workflow.id())
                .add("Definition", workflow.definition() == null ? "(inline DAG)" : workflow.definition())
                .add("Status", workflow.status())
                .add("Created", workflow.createdAt())
                .add("Finished", workflow.finishedAt())
                .add("Source", WorkflowView.HISTORY.equals(workflow.source())
                        ? "history in PostgreSQL (finished, evicted from the replicated state)" : "the replicated state")
                .add("Input", json(workflow.input()))
                .print(out);
        out.println();
        Table table = new Table("TASK", "TYPE", "STATUS", "ATTEMPT", "DEPENDS ON", "NOTE");
        for (TaskView task : workflow.tasks()) {
            table.row(task.id(), task.type(), task.status(), task.attempt(), list(task.dependsOn()), note(task));
        }
        table.print(out);
    }

    static void page(PrintWriter out, WorkflowPage page) {
        if (page.items().isEmpty()) {
            out.println("No workflows on this page.");
        } else {
            Table table = new Table("ID", "DEFINITION", "STATUS", "CREATED", "FINISHED");
            for (WorkflowSummary item : page.items()) {
                table.row(item.id(), item.definition() == null ? "(inline)" : item.definition(), item.status(),
                        item.createdAt(), item.finishedAt());
            }
            table.print(out);
        }
        if (page.nextCursor() != null) {
            out.println();
            out.println("More may follow: --cursor " + page.nextCursor());
        }
    }

    /** One line per reason, each with its workflow's id and definition, so that lines can be filtered alone. */
    static void stuck(PrintWriter out, WorkflowPage page) {
        if (page.items().isEmpty()) {
            out.println("No stuck workflows on this page.");
        } else {
            Table table = new Table("ID", "DEFINITION", "REASON", "TASK", "DETAIL");
            for (WorkflowSummary item : page.items()) {
                for (StuckReason reason : item.stuckReasons() == null ? List.<StuckReason>of() : item.stuckReasons()) {
                    table.row(item.id(), item.definition() == null ? "(inline)" : item.definition(), reason.code(),
                            reason.taskId() + " (" + reason.taskType() + ")", reason.detail());
                }
            }
            table.print(out);
        }
        if (page.nextCursor() != null) {
            out.println();
            out.println("More may follow: --cursor " + page.nextCursor());
        }
    }

    static void history(PrintWriter out, WorkflowHistory history) {
        new Fields().add("Workflow", history.workflowId()).add("Entries", history.entries().size()).print(out);
        out.println();
        Table table = new Table("INDEX", "AT", "KIND", "TASK", "ATTEMPT", "LEASE", "DETAIL");
        for (HistoryEntry entry : history.entries()) {
            table.row(entry.index(), entry.at(), entry.kind(), entry.taskId(), entry.attempt(), entry.leaseId(),
                    entry.detail());
        }
        table.print(out);
    }

    static void snapshot(PrintWriter out, SnapshotView snapshot) {
        new Fields()
                .add("Snapshot index", snapshot.index())
                .add("Size", String.format(Locale.ROOT, "%,d bytes", snapshot.bytes()))
                .add("Took", snapshot.durationMs() + " ms")
                .print(out);
    }

    static void limits(PrintWriter out, EngineSettings limits) {
        new Fields()
                .add("Tasks per DAG", limits.maxTasks())
                .add("Payload (input, output)", bytes(limits.maxPayloadBytes()))
                .add("Dependencies per task", limits.maxDependencies())
                .add("Error kept", bytes(limits.maxErrorBytes()))
                .add("Task types per poll", limits.maxTaskTypesPerPoll())
                .add("Leases per poll", limits.maxLeasesPerPoll())
                .add("Per workflow", bytes(limits.maxWorkflowBytes()))
                .add("State budget", bytes(limits.maxStateBytes()))
                .add("State holds", bytes(limits.stateBytes()))
                .add("Committed", Boolean.TRUE.equals(limits.configured()) ? "yes"
                        : "not yet (the built-in defaults apply until the first leader commits its own)")
                .add("Finished workflows kept", duration(limits.finishedRetentionMs()))
                .add("Idempotency keys kept", duration(limits.idempotencyKeyRetentionMs()))
                .add("Cluster id", limits.clusterId())
                .add("Exported through", limits.exportedThrough() == null ? null : "log index " + limits.exportedThrough())
                .print(out);
    }

    private static String duration(Long millis) {
        return millis == null ? "-" : Duration.ofMillis(millis).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String bytes(Number value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,d bytes", value.longValue());
    }

    static void cluster(PrintWriter out, ClusterView cluster) {
        new Fields()
                .add("Node", cluster.nodeId())
                .add("Leader", cluster.leader() == null ? "none known (election running, or no quorum)" : cluster.leader())
                .add("Term", cluster.term())
                .add("Commit index", cluster.commitIndex())
                .add("Applied index", cluster.appliedIndex())
                .add("State digest", cluster.stateDigest())
                .print(out);
        out.println();
        Table table = new Table("PEER", "ROLE");
        for (String peer : cluster.peers()) {
            String role = peer.equals(cluster.leader()) ? "leader" : "follower";
            table.row(peer, peer.equals(cluster.nodeId()) ? role + " (this node)" : role);
        }
        table.print(out);
    }

    /** What matters about a task beyond its status: who holds it, why it failed, what it produced. */
    private static String note(TaskView task) {
        return switch (task.status()) {
            case LEASED -> "lease " + task.leaseId() + " held by " + task.workerId() + " until " + task.leaseExpiresAt();
            case COMPLETED -> task.output() == null ? null : "output " + json(task.output());
            case READY -> task.error() == null ? null : "retry after " + task.error();
            default -> task.error();
        };
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? null : String.join(",", items);
    }

    /** Compact JSON, cut at {@value #MAX_JSON} characters. */
    private static String json(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        String text = FlowRaftJson.mapper().writeValueAsString(node);
        return text.length() <= MAX_JSON ? text : text.substring(0, MAX_JSON - 3) + "...";
    }
}
