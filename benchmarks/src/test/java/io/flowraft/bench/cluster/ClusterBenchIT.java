package io.flowraft.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.cli.local.LocalCluster;
import io.flowraft.contracts.json.FlowRaftJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * A tiny {@code ./flowraft bench --kill-leader --memory} on the packaged jars: every phase of the harness runs
 * (closed loop, half-rate open loop, a killed leader, the raw Raft baseline, heap, snapshot and a wiped
 * follower's catch-up) and its report says what happened. Figures are not judged, only that each was measured
 * and that no acknowledged workflow was lost.
 */
class ClusterBenchIT {

    private final Path out = Path.of("target", "bench-smoke");

    @AfterEach
    void cleanUp() throws Exception {
        LocalCluster.deleteRecursively(out);
    }

    @Test
    void shouldMeasureEveryPhaseOfATinyRun() throws Exception {
        // given a tiny run of each phase on processes started from the packaged jars
        List<String> args = new ArrayList<>(List.of("--workflows", "24", "--warmup", "4", "--clients", "4",
                "--workers", "2", "--worker-slots", "8", "--shape", "diamond", "--kill-leader", "--memory",
                "--memory-active", "200", "--memory-snapshot", "400", "--raw-seconds", "1",
                "--coordinator-heap", "256m", "--memory-heap", "512m", "--out", out.toString(),
                "--coordinator-jar", System.getProperty("flowraft.coordinator.jar"),
                "--worker-jar", System.getProperty("flowraft.worker.jar")));

        // when
        int exit = new CommandLine(new ClusterBench()).setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args.toArray(String[]::new));

        // then every workflow finished, none was lost, and every figure was measured
        JsonNode results = FlowRaftJson.mapper().readTree(out.resolve("results.json").toFile());
        assertThat(exit).as("exit status (1 = a workflow lost or unfinished)").isZero();
        List<String> names = new ArrayList<>();
        for (JsonNode run : results.get("runs")) {
            names.add(run.get("name").asString());
            assertThat(run.get("completed").asInt()).as(run.toString()).isEqualTo(24);
            assertThat(run.get("lost").asInt()).isZero();
            assertThat(run.get("tasksPerSecond").asDouble()).isPositive();
            assertThat(run.get("submitAck").get("count").asLong()).isEqualTo(24);
            assertThat(run.get("submitToFinish").get("count").asLong()).isEqualTo(24);
            assertThat(run.get("dispatch").get("count").asLong()).isGreaterThanOrEqualTo(24 * 4);
            assertThat(run.get("reportCommitted").get("count").asLong()).isGreaterThanOrEqualTo(24 * 4);
            assertThat(run.get("processes")).hasSize(3 + 2 + 1); // coordinators, workers, the harness
            List<JsonNode> coordinators = new ArrayList<>();
            run.get("processes").forEach(p -> {
                if (p.get("name").asString().startsWith("coordinator-")) {
                    coordinators.add(p);
                }
            });
            assertThat(coordinators).hasSize(3);
            // a coordinator SIGKILLed within a second of the run's start has no CPU sample after the first one
            if (run.get("name").asString().equals("kill-leader")) {
                assertThat(coordinators).filteredOn(p -> p.get("cpuSeconds").asDouble() > 0).hasSizeGreaterThanOrEqualTo(2);
            } else {
                assertThat(coordinators).allSatisfy(p -> assertThat(p.get("cpuSeconds").asDouble()).isPositive());
            }
            assertThat(coordinators).anySatisfy(p -> assertThat(p.get("peakHeapMiB").asDouble()).isPositive());
        }
        assertThat(names).containsExactly("main", "main-half-rate", "kill-leader");
        JsonNode failover = results.get("runs").get(2).get("failover");
        assertThat(failover.get("newLeaderMs").asLong()).isPositive();
        assertThat(failover.get("acknowledgedLost").asInt()).isZero();
        assertThat(results.get("rawRaft").get("commitsPerSecond").asDouble()).isPositive();
        assertThat(results.get("engineCostRatio").asDouble()).isPositive();
        JsonNode memory = results.get("memory");
        // 200 workflows are a few hundred KiB, within the noise of a heap after GC: the heap is checked as measured on
        // every coordinator, not the per-10k figure derived from it
        assertThat(memory.get("heapMiBBefore")).hasSize(3).allSatisfy(mib -> assertThat(mib.asDouble()).isPositive());
        assertThat(memory.get("heapMiBAfter")).hasSize(3).allSatisfy(mib -> assertThat(mib.asDouble()).isPositive());
        assertThat(memory.get("snapshotBytes").asLong()).isPositive();
        // the wiped follower had to install a snapshot (the log before it is gone), not replay the log
        assertThat(memory.get("snapshotLoadMs").asDouble()).isPositive();
        assertThat(memory.get("catchUpEntries").asLong()).isPositive(); // commands share entries: fewer than submits
        assertThat(memory.get("catchUpStartedMs").asLong()).isPositive();
        assertThat(memory.get("catchUpMs").asLong()).isGreaterThanOrEqualTo(memory.get("catchUpStartedMs").asLong());
        assertThat(memory.get("restartStartedMs").asLong()).isPositive();
        assertThat(memory.get("restartMs").asLong()).isGreaterThanOrEqualTo(memory.get("restartStartedMs").asLong());
        assertThat(results.get("targets")).isNotEmpty();
        assertThat(Files.readString(out.resolve("results.md"))).contains("| run | load |", "Raw SOFAJRaft baseline",
                "Leader killed mid-run", "Memory and snapshots");
    }

    @Test
    void shouldSoakWithHistoryAndShowTheStateBounded() throws Exception {
        // given a tiny soak: one round of history on and off, then 300 workflows with a one-second retention
        List<String> args = List.of("--soak", "--soak-workflows", "300", "--soak-rounds", "1",
                "--soak-compare-workflows", "40", "--warmup", "10", "--clients", "8", "--workers", "2",
                "--worker-slots", "8", "--soak-retention", "1s", "--soak-key-retention", "2s", "--soak-sample", "5s",
                "--coordinator-heap", "256m", "--out", out.toString(),
                "--coordinator-jar", System.getProperty("flowraft.coordinator.jar"),
                "--worker-jar", System.getProperty("flowraft.worker.jar"));

        // when
        int exit = new CommandLine(new ClusterBench()).setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args.toArray(String[]::new));

        // then every workflow finished and was exported, and the first one, evicted, reads back from history
        JsonNode soak = FlowRaftJson.mapper().readTree(out.resolve("results.json").toFile()).get("soak");
        assertThat(exit).as("exit status (1 = a workflow lost or unfinished)").isZero();
        assertThat(soak.get("workflows").asInt()).isEqualTo(300);
        assertThat(soak.get("lost").asInt()).isZero();
        assertThat(soak.get("unfinished").asInt()).isZero();
        assertThat(soak.get("completedInPostgres").asLong()).isEqualTo(300);
        assertThat(soak.get("firstWorkflowSource").asString()).isEqualTo("history");
        assertThat(soak.get("firstWorkflowStatus").asString()).isEqualTo("COMPLETED");
        JsonNode round = soak.get("comparison").get(0);
        assertThat(round.get("tasksPerSecondOff").asDouble()).isPositive();
        assertThat(round.get("tasksPerSecondOn").asDouble()).isPositive();
        // a sample before the load, at least one during it, and one once drained, each measured on every coordinator
        JsonNode samples = soak.get("samples");
        assertThat(samples.size()).isGreaterThanOrEqualTo(3);
        samples.forEach(sample -> {
            assertThat(sample.get("heapMiBAfterGc")).hasSize(3).allSatisfy(mib -> assertThat(mib.asDouble()).isPositive());
            assertThat(sample.get("snapshotBytes").asLong()).isPositive();
        });
        assertThat(samples.get(samples.size() - 1).get("workflows").asLong()).isEqualTo(300);
        // drained: the state holds no more than before the soak, give or take the workers' poll records
        assertThat(samples.get(samples.size() - 1).get("stateBytes").asLong())
                .isLessThanOrEqualTo(samples.get(0).get("stateBytes").asLong() + 256 * 1024);
        assertThat(Files.readAllLines(out.resolve(SoakCharts.CSV))).hasSize(samples.size() + 1);
        byte[] png = Files.readAllBytes(out.resolve(SoakCharts.PLOT));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(out.resolve("results.md"))).contains("## Soak", "History costs",
                "every workflow completed and exported");
    }
}
