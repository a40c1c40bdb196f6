package io.flowraft.cli;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowraft cluster add-peer|remove-peer|retain-peers}: the voters of the Raft group, changed one at a time
 * through any coordinator (a follower hands the change to the leader). Peers are Raft endpoints, {@code host:port}.
 */
final class PeerCommands {

    private PeerCommands() {
    }

    @Command(name = "add-peer",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"Add a voter: a coordinator started to join (its data dir empty, and its peer list not naming it",
                    "or flowraft.raft.join-existing=true). Answers once the change committed; adding a member again does nothing."})
    static final class AddPeer extends ApiCommand {

        @Parameters(paramLabel = "HOST:PORT", description = "The new voter's Raft endpoint.")
        String peer;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.addPeer(peer), Views::cluster);
        }
    }

    @Command(name = "remove-peer",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"Remove a voter. Answers once the change committed; the removed coordinator can then be stopped.",
                    "Never remove so many that the rest cannot reach a majority of the old membership."})
    static final class RemovePeer extends ApiCommand {

        @Parameters(paramLabel = "HOST:PORT", description = "The voter's Raft endpoint.")
        String peer;

        @Override
        protected int run(FlowRaftClient client) {
            return print(client.removePeer(peer), Views::cluster);
        }
    }

    @Command(name = "retain-peers",
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = {"Remove every voter not listed, one at a time; when the leader is one of them, hand leadership to a",
                    "listed voter first. Does nothing when every voter is listed, so it can run before every upgrade (the",
                    "Helm chart's pre-upgrade hook runs it with the ordinals that stay). Refuses when no listed peer is a voter."})
    static final class RetainPeers extends ApiCommand {

        @Parameters(arity = "1..*", paramLabel = "HOST:PORT", description = "The voters to keep.")
        List<String> retained;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2m",
                description = "How long to keep retrying while there is no leader or another change runs (default 2m).")
        Duration timeout;

        @Override
        protected int run(FlowRaftClient client) {
            Instant deadline = Instant.now().plus(timeout);
            ClusterView view = withLeader(client, deadline);
            if (view.leader() == null) {
                err().println("No leader within " + timeout + ": nothing removed.");
                return ExitCodes.NO_LEADER;
            }
            Set<String> keep = new LinkedHashSet<>(retained);
            List<String> keptVoters = view.peers().stream().filter(keep::contains).toList();
            if (keptVoters.isEmpty()) {
                err().println("Refused: none of " + keep + " is a voter (voters: " + view.peers() + "); removing the"
                        + " others would leave no voter. Nothing removed.");
                return ExitCodes.REJECTED;
            }
            List<String> removed = view.peers().stream().filter(p -> !keep.contains(p)).toList();
            if (removed.isEmpty()) {
                progress("Every voter is listed: nothing to remove.");
                return print(view, Views::cluster);
            }
            if (removed.contains(view.leader())) {
                String target = keptVoters.getFirst();
                progress("Handing leadership from " + view.leader() + " to " + target + " first.");
                Retries.until(deadline, () -> client.transferLeader(target));
                view = awaitLeaderAmong(client, keptVoters, deadline);
            }
            for (String peer : removed) {
                progress("Removing " + peer + ".");
                Retries.until(deadline, () -> remove(client, peer));
            }
            return print(Retries.until(deadline, client::cluster), Views::cluster);
        }

        /** Removes {@code peer}; one that is no longer a member (a retry after an unknown outcome) counts as removed. */
        private static ClusterView remove(FlowRaftClient client, String peer) {
            try {
                return client.removePeer(peer);
            } catch (FlowRaftProblemException e) {
                boolean gone = e.status() == 409 && e.problem() != null
                        && e.problem().knownType().filter(ProblemType.MEMBERSHIP_CONFLICT::equals).isPresent()
                        && !client.cluster().peers().contains(peer);
                if (gone) {
                    return null;
                }
                throw e;
            }
        }

        private static ClusterView withLeader(FlowRaftClient client, Instant deadline) {
            while (true) {
                ClusterView view = Retries.until(deadline, client::cluster);
                if (view.leader() != null || Instant.now().isAfter(deadline)) {
                    return view;
                }
                Retries.pause(Duration.ofMillis(200));
            }
        }

        private static ClusterView awaitLeaderAmong(FlowRaftClient client, List<String> voters, Instant deadline) {
            while (true) {
                ClusterView view = Retries.until(deadline, client::cluster);
                if (voters.contains(view.leader())) {
                    return view;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Leadership did not move to one of " + voters + " in time (leader: "
                            + view.leader() + "); nothing removed");
                }
                Retries.pause(Duration.ofMillis(200));
            }
        }

        /** A step, on stderr so that {@code --json} output stays one JSON value. */
        private void progress(String line) {
            err().println(line);
        }
    }
}
