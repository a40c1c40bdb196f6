package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code flowraft.raft.join-existing} on real SOFAJRaft nodes, the way a StatefulSet uses it: every pod names all
 * ordinals as its peers; a first install starts them all at once, a scale-up starts pods past the group's voters,
 * a scale-down removes a voter whose volume may be wiped before it comes back.
 */
class JoinExistingClusterTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private RaftTestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void submit(RaftRuntime node, String id) {
        node.gateway().submit(new SubmitWorkflow(0, id, "key-" + id, null, List.of(new TaskSpec("a", "work", List.of(),
                null, null, TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT, TaskSpec.DEFAULT_TIMEOUT_MS, null)), "{}")).join();
    }

    private List<String> addresses(int... nodes) {
        return IntStream.of(nodes).mapToObj(cluster::address).sorted().toList();
    }

    private List<String> votersAsSeenBy(int node) {
        return new ArrayList<>(cluster.node(node).node().membershipReport().voters());
    }

    private boolean joinPending(int node) {
        return Files.exists(cluster.dataDir(node).resolve(JoinExisting.PENDING));
    }

    private void awaitVoters(int leader, int... voters) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(votersAsSeenBy(leader)).isEqualTo(addresses(voters)));
    }

    @Test
    void shouldFormOneGroupWhenEveryNodeStartsAtOnce() {
        // given three nodes of a first install, none with data, each naming all three
        cluster = new RaftTestCluster(3, 300).withJoinExisting();

        // when they start at once (none can answer the others' question before it runs)
        cluster.startTogether(List.of(0, 1, 2));

        // then they bootstrap one group of three, and none thinks it is joining
        int leader = cluster.awaitLeader(WITHIN);
        submit(cluster.node(leader), "wf-1");
        cluster.awaitSameState(WITHIN);
        for (int i = 0; i < 3; i++) {
            assertThat(votersAsSeenBy(i)).isEqualTo(addresses(0, 1, 2));
            assertThat(joinPending(i)).isFalse();
        }
    }

    @Test
    void shouldJoinAsVotersWhenStartedPastTheGroupsVoters() {
        // given a group of three with state
        cluster = new RaftTestCluster(3, 300).withJoinExisting().startAll();
        int leader = cluster.awaitLeader(WITHIN);
        for (int i = 0; i < 20; i++) {
            submit(cluster.node(leader), "wf-" + i);
        }

        // when two more nodes start at once, empty, naming all five as their peers
        int fourth = cluster.addJoiningNode(1);
        int fifth = cluster.addJoiningNode(0);
        assertThat(cluster.properties(fourth).peers()).isEqualTo(cluster.properties(fifth).peers()).hasSize(5);
        cluster.startTogether(List.of(fourth, fifth));

        // then both become voters, catch up and hold the same state as the others
        awaitVoters(leader, 0, 1, 2, fourth, fifth);
        cluster.awaitSameState(WITHIN);
        await().atMost(WITHIN).until(() -> !joinPending(fourth) && !joinPending(fifth));
        assertThat(votersAsSeenBy(fifth)).isEqualTo(addresses(0, 1, 2, fourth, fifth));
        // and the group of five commits with the newcomers counted
        submit(cluster.node(fifth), "after-join");
        cluster.awaitSameState(WITHIN);
    }

    @Test
    void shouldJoinAgainAfterBeingRemovedAndWiped() {
        // given a group of three from which a follower was removed (a scale-down) and its data wiped
        cluster = new RaftTestCluster(3, 300).withJoinExisting().startAll();
        int leader = cluster.awaitLeader(WITHIN);
        submit(cluster.node(leader), "before");
        int removed = cluster.anyFollower(leader);
        cluster.node(leader).admin().removePeer(cluster.address(removed)).join();
        cluster.halt(removed);
        cluster.wipe(removed);
        submit(cluster.node(leader), "while-away");

        // when it starts again, empty, with the same peer list
        cluster.start(removed);

        // then the others, which no longer name it, let it join as a voter again, and it catches up
        awaitVoters(leader, 0, 1, 2);
        cluster.awaitSameState(WITHIN);
        boolean caughtUp = cluster.node(removed).reader().local(s -> s.workflow("while-away") != null);
        assertThat(caughtUp).isTrue();
    }

    @Test
    void shouldResumeAJoinAfterARestartHalfWay() {
        // given a group of three that has lost its quorum, so a newcomer cannot be added yet
        cluster = new RaftTestCluster(3, 300).withJoinExisting().startAll();
        int leader = cluster.awaitLeader(WITHIN);
        submit(cluster.node(leader), "before");
        int survivor = cluster.anyFollower(leader);
        for (int i = 0; i < 3; i++) {
            if (i != survivor) {
                cluster.halt(i);
            }
        }
        int joiner = cluster.addJoiningNode(0);

        // when the newcomer starts (the survivor reports the group without it), then stops before it was added
        cluster.start(joiner);
        assertThat(joinPending(joiner)).isTrue();
        assertThat(votersAsSeenBy(joiner)).isEmpty();
        cluster.halt(joiner);

        // and starts again, with Raft files on disk, once the group has its quorum back
        for (int i = 0; i < 3; i++) {
            if (i != survivor) {
                cluster.start(i);
            }
        }
        int newLeader = cluster.awaitLeader(WITHIN);
        cluster.start(joiner);

        // then it resumes the join rather than bootstrapping from its peer list
        awaitVoters(newLeader, 0, 1, 2, joiner);
        cluster.awaitSameState(WITHIN);
        await().atMost(WITHIN).until(() -> !joinPending(joiner));
    }

    @Test
    void shouldIgnoreJoinExistingWhenTheNodeHasData() {
        // given a follower removed from the group but not wiped
        cluster = new RaftTestCluster(3, 300).withJoinExisting().startAll();
        int leader = cluster.awaitLeader(WITHIN);
        submit(cluster.node(leader), "before");
        cluster.awaitSameState(WITHIN);
        int removed = cluster.anyFollower(leader);
        cluster.node(leader).admin().removePeer(cluster.address(removed)).join();
        cluster.halt(removed);
        int remaining = IntStream.range(0, 3).filter(i -> i != removed && i != leader).findFirst().orElseThrow();

        // when it starts again on its data
        cluster.start(removed);

        // then it starts from its log and asks nobody to add it: the group stays as the operator left it
        assertThat(joinPending(removed)).isFalse();
        await().during(Duration.ofMillis(3L * RaftTestCluster.ELECTION_TIMEOUT_MS)).atMost(WITHIN)
                .untilAsserted(() -> assertThat(votersAsSeenBy(leader)).isEqualTo(addresses(leader, remaining)));
    }
}
