package io.flowraft.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before and after from alternated runs: medians per side and after ÷ before, the before ref named. */
class CompareRunsTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompareTheMediansOfAlternatedRuns() throws Exception {
        Path b1 = results("b1", 100, 2000, 60);
        Path a1 = results("a1", 150, 2000, 45);
        Path b2 = results("b2", 110, 2200, 66);
        Path a2 = results("a2", 160, 2000, 40);
        Path b3 = results("b3", 90, 1800, 54);

        CompareRuns.main(new String[] {dir.toString(), "ref=7d03220", "before=" + b1, "after=" + a1, "before=" + b2,
            "after=" + a2, "before=" + b3});

        String md = Files.readString(dir.resolve("compare.md"));
        // medians: before 100 tasks/s, after (150 + 160) / 2 = 155 tasks/s
        assertThat(md).contains("| before | 100 |").contains("| after | 155 |");
        assertThat(md).contains("| **after ÷ before** | **1.55** |");
        assertThat(md).contains("| before | 7d03220 | 110 |").contains("| after | abc1234 | 160 |");
        // the first run's row: CPU per task from 10,000 tasks (coordinators 60 s, worker 10 s, driver 5 s)
        assertThat(md).contains("| before | 7d03220 | 100 | 2000 | 0.050 | 6.00 | 1.00 | 0.50 | 0.200 | 1.20 | 0.40 | 12 | 5 / 20 |");
    }

    /** A results.json of one main run: {@code seconds} 100, three coordinators sharing {@code coordinatorCpu}. */
    private Path results(String name, double tasksPerSecond, double rawCommits, double coordinatorCpu) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, """
                {"commit": "abc1234", "rawRaft": {"commitsPerSecond": %s},
                 "runs": [{"name": "main", "seconds": 100, "tasksPerSecond": %s,
                   "dispatch": {"p99": 12}, "submitAck": {"p50": 5, "p99": 20},
                   "raft": {"commandsPerTask": 1.2, "entriesPerTask": 0.4, "httpRequestsPerTask": {"/api/v1/reports": 0.2}},
                   "processes": [{"name": "coordinator-1", "cpuSeconds": %s}, {"name": "coordinator-2", "cpuSeconds": 0},
                                 {"name": "worker-1", "cpuSeconds": 10}, {"name": "bench-driver", "cpuSeconds": 5}]}]}
                """.formatted(rawCommits, tasksPerSecond, coordinatorCpu));
        return file;
    }
}
