package io.flowraft.cli;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.client.FlowRaftClient;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowraft cluster status|check|snapshot|limits|add-peer|remove-peer|retain-peers}: the health commands, a
 * snapshot on demand, the engine limits, and the voters ({@link PeerCommands}).
 */
@Command(name = "cluster",
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Inspect the coordinator cluster and change its voters.",
        subcommands = {ClusterCommand.Status.class, ClusterCheck.class, ClusterCommand.Snapshot.class,
                ClusterCommand.Limits.class, PeerCommands.AddPeer.class, PeerCommands.RemovePeer.class,
                PeerCommands.RetainPeers.class})
final class ClusterCommand extends NounCommand {

    @Command(name = "status",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {
                    "Show the answering coordinator's view of the cluster: leader, term, peers, indexes, state digest.",
                    "A health check: exit code 0 if a leader is known, " + ExitCodes.NO_LEADER
                            + " if not, " + ExitCodes.UNAVAILABLE + " if the coordinator cannot be reached."})
    static final class Status extends ApiCommand {

        @Override
        protected int run(FlowRaftClient client) {
            ClusterView view = client.cluster();
            print(view, Views::cluster);
            if (view.leader() == null) {
                err().println("Unhealthy: " + view.nodeId() + " knows no leader (an election is running, or there is "
                        + "no quorum).");
                return ExitCodes.NO_LEADER;
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "snapshot",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {
                    "Take a Raft snapshot on the coordinator at --url now, and truncate its log up to it.",
                    "For a backup, or before restarting a node with a long log; nodes also snapshot on their own "
                            + "(flowraft.raft.snapshot-interval-secs)."})
    static final class Snapshot extends ApiCommand {

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.snapshot(), Views::snapshot);
        }
    }

    @Command(name = "limits",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {
                    "Show the engine limits and retention the cluster runs with and what its state holds; with options,",
                    "change them. They are replicated: a change applies on every coordinator from one log entry on.",
                    "Sizes in bytes, e.g. --max-state-bytes 536870912; durations as 30m, 2h, 7d or ISO-8601 (PT1H)."})
    static final class Limits extends ApiCommand {

        @Option(names = "--max-tasks", description = "Tasks per DAG.")
        Integer maxTasks;

        @Option(names = "--max-payload-bytes", description = "Bytes of one input, rendered input or output.")
        Integer maxPayloadBytes;

        @Option(names = "--max-dependencies", description = "Direct dependencies of one task.")
        Integer maxDependencies;

        @Option(names = "--max-error-bytes", description = "Bytes kept of a failure message.")
        Integer maxErrorBytes;

        @Option(names = "--max-task-types-per-poll", description = "Task types one poll may ask for.")
        Integer maxTaskTypesPerPoll;

        @Option(names = "--max-leases-per-poll", description = "Leases one poll may ask for.")
        Integer maxLeasesPerPoll;

        @Option(names = "--max-workflow-bytes", description = "Bytes one workflow may hold.")
        Long maxWorkflowBytes;

        @Option(names = "--max-state-bytes", description = "Bytes the whole state may hold before new work gets 429.")
        Long maxStateBytes;

        @Option(names = "--finished-retention", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long a finished workflow stays in the replicated state (once exported).")
        Duration finishedRetention;

        @Option(names = "--idempotency-key-retention", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long an idempotency key answers a repeated submit; after it, the key starts anew.")
        Duration idempotencyKeyRetention;

        @Override
        protected int run(FlowRaftClient client) {
            EngineSettings change = new EngineSettings(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes,
                    maxTaskTypesPerPoll, maxLeasesPerPoll, maxWorkflowBytes, maxStateBytes, null, null,
                    finishedRetention == null ? null : finishedRetention.toMillis(),
                    idempotencyKeyRetention == null ? null : idempotencyKeyRetention.toMillis(), null, null);
            boolean changing = Stream.of(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll,
                    maxLeasesPerPoll, maxWorkflowBytes, maxStateBytes, finishedRetention, idempotencyKeyRetention)
                    .anyMatch(Objects::nonNull);
            return print(changing ? client.updateEngineSettings(change) : client.engineSettings(), Views::limits);
        }
    }
}
