package io.flowraft.cli;

import io.flowraft.coordinator.testing.InProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code flowraft cluster status} as a health check on a real three-node cluster: unhealthy (exit 3) while only one
 * node of three runs and no leader can be elected, healthy (exit 0) once a quorum has elected one.
 */
class ClusterHealthTest {

    private final InProcessCluster cluster = new InProcessCluster(3);

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldBeUnhealthyWithoutQuorumAndHealthyOnceALeaderIsElected() {
        // given: one node of three, which can never win an election alone
        cluster.start(0);
        Map<String, String> environment = Map.of(FlowRaftCli.URL_ENV, cluster.baseUri(0).toString());

        // when
        CliRun alone = CliRun.run(environment, "cluster", "status");
        CliRun aloneJson = CliRun.run(environment, "cluster", "status", "--json");

        // then
        assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(ExitCodes.NO_LEADER);
        assertThat(alone.out()).contains("Leader:         none known (election running, or no quorum)\n");
        assertThat(alone.out().lines().filter(line -> line.matches("127\\.0\\.0\\.1:\\d+ +follower.*"))).hasSize(3);
        assertThat(alone.err()).startsWith("Unhealthy: ");
        assertThat(aloneJson.exitCode()).isEqualTo(ExitCodes.NO_LEADER);
        assertThat(aloneJson.json().has("leader")).isFalse();

        // when: the other two join
        cluster.startAll();

        // then: every node knows the leader
        for (int i = 0; i < 3; i++) {
            Map<String, String> node = Map.of(FlowRaftCli.URL_ENV, cluster.baseUri(i).toString());
            CliRun healthy = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> CliRun.run(node, "cluster", "status"), run -> run.exitCode() == ExitCodes.OK);
            assertThat(healthy.out()).containsOnlyOnce(" leader").contains("(this node)");
            assertThat(healthy.err()).isEmpty();
        }
    }

    @Test
    void shouldExitWithTwoWhenTheCoordinatorHasNoLeaderToServeARead() {
        // given
        cluster.start(0);

        // when: a linearizable read needs a leader
        CliRun run = CliRun.run(Map.of(), "workflow", "list", "--url", cluster.baseUri(0).toString());

        // then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).startsWith("Error: No leader reachable (HTTP 503, not-leader)\n").contains("  retry after: ");
    }
}
