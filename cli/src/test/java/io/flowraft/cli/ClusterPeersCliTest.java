package io.flowraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.coordinator.testing.InProcessCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code flowraft cluster add-peer|remove-peer|retain-peers} against a real three-node cluster. */
class ClusterPeersCliTest {

    private final InProcessCluster cluster = new InProcessCluster(3);

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private CliRun cli(int node, String... args) {
        return CliRun.run(Map.of(FlowRaftCli.URL_ENV, cluster.baseUri(node).toString()), args);
    }

    private List<String> voters(int node) {
        return cluster.client(node).cluster().peers();
    }

    private String[] retain(String... peers) {
        String[] args = new String[peers.length + 2];
        args[0] = "cluster";
        args[1] = "retain-peers";
        System.arraycopy(peers, 0, args, 2, peers.length);
        return args;
    }

    @Test
    void shouldAddAndRemoveAPeer() {
        // given a cluster of three and a fourth coordinator waiting to be added
        cluster.startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int joiner = cluster.startJoiner();
        int follower = (leader + 1) % 3;

        // when it is added through a follower
        CliRun added = cli(follower, "cluster", "add-peer", cluster.raftAddress(joiner), "--json");

        // then it is a voter
        assertThat(added.exitCode()).as(added.toString()).isEqualTo(ExitCodes.OK);
        assertThat(added.json().get("peers").size()).isEqualTo(4);
        assertThat(voters(leader)).contains(cluster.raftAddress(joiner));

        // when it is removed
        CliRun removed = cli(leader, "cluster", "remove-peer", cluster.raftAddress(joiner));

        // then it no longer is; removing it again is refused as a conflict
        assertThat(removed.exitCode()).as(removed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(voters(leader)).hasSize(3).doesNotContain(cluster.raftAddress(joiner));
        CliRun again = cli(leader, "cluster", "remove-peer", cluster.raftAddress(joiner));
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(again.err()).contains("membership-conflict");
    }

    @Test
    void shouldRetainTheListedPeersHandingLeadershipOverFirst() {
        // given a cluster of three
        cluster.startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        String[] all = IntStream.range(0, 3).mapToObj(cluster::raftAddress).toArray(String[]::new);

        // when every voter is listed, then nothing changes
        CliRun noop = cli(leader, retain(all));
        assertThat(noop.exitCode()).as(noop.toString()).isEqualTo(ExitCodes.OK);
        assertThat(noop.err()).contains("nothing to remove");
        assertThat(voters(leader)).hasSize(3);

        // when no listed peer is a voter, then it refuses and removes nothing
        CliRun none = cli(leader, retain("127.0.0.1:1"));
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(none.err()).startsWith("Refused: none of [127.0.0.1:1] is a voter");
        assertThat(voters(leader)).hasSize(3);

        // when only one follower is kept (the leader is among those to remove)
        int kept = (leader + 1) % 3;
        CliRun retained = cli(kept, retain(cluster.raftAddress(kept)));

        // then leadership moved to it first, and it is the only voter left
        assertThat(retained.exitCode()).as(retained.toString()).isEqualTo(ExitCodes.OK);
        assertThat(retained.err()).contains("Handing leadership from " + cluster.raftAddress(leader) + " to "
                + cluster.raftAddress(kept));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(voters(kept)).containsExactly(cluster.raftAddress(kept)));
        assertThat(cluster.client(kept).cluster().leader()).isEqualTo(cluster.raftAddress(kept));
        // and running it again is a no-op
        CliRun repeated = cli(kept, retain(cluster.raftAddress(kept)));
        assertThat(repeated.exitCode()).as(repeated.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repeated.err()).contains("nothing to remove");
    }
}
