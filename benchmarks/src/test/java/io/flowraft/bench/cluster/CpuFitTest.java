package io.flowraft.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flowraft.bench.cluster.BenchReport.Process;
import io.flowraft.bench.cluster.BenchReport.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinators' CPU split into what they burn at no load and what each task adds. */
class CpuFitTest {

    @Test
    void shouldSplitCoordinatorCpuIntoAFixedPartAndAPartPerTask() {
        // given runs where the coordinators burn 0.3 cores plus 2 ms per task (workers' CPU is not counted)
        List<Run> runs = List.of(run("main", 100, 60), run("main-half-rate", 50, 60), run("main-at-0.25", 25, 100));

        CpuFit fit = CpuFit.of(runs);

        assertThat(fit.runs()).isEqualTo(3);
        assertThat(fit.fixedCores()).isCloseTo(0.3, within(1e-9));
        assertThat(fit.msPerTask()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void shouldGiveNoFitWithoutTwoRates() {
        assertThat(CpuFit.of(List.of(run("main", 100, 60)))).isNull();
        assertThat(CpuFit.of(List.of(run("main", 100, 60), run("main-again", 100, 30)))).isNull();
    }

    /** A run at {@code tasksPerSecond} for {@code seconds}, its 3 coordinators burning 0.3 cores + 2 ms per task. */
    private static Run run(String name, double tasksPerSecond, double seconds) {
        double coordinatorCpu = (0.3 + 0.002 * tasksPerSecond) * seconds;
        List<Process> processes = List.of(new Process("coordinator-1", coordinatorCpu / 2, 0, -1, -1),
                new Process("coordinator-2", coordinatorCpu / 4, 0, -1, -1),
                new Process("coordinator-3", coordinatorCpu / 4, 0, -1, -1), new Process("worker-1", 99, 0, -1, -1));
        return new Run(name, "chain", "closed", 3, 1, 0, 0, 0, 0, 0, seconds, tasksPerSecond / 10, tasksPerSecond, null,
                null, null, null, 0, 0, 0, null, processes, null);
    }
}
