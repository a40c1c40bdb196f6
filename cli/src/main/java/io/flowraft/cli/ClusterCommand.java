package io.flowraft.cli;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.client.FlowRaftClient;
import picocli.CommandLine.Command;

/** {@code flowraft cluster status|snapshot}: the health command, and a snapshot on demand. */
@Command(name = "cluster",
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Inspect the coordinator cluster.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Snapshot.class})
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
}
