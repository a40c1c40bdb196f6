package io.flowraft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code path of {@code ./flowraft demo}, end to end on the packaged jars: three coordinator and two worker
 * processes, orders with sequential, parallel and conditional paths, the leader SIGKILLed part-way. A smaller
 * run than the interactive demo, checked by its summary.
 */
class DemoIT {

    @Test
    void shouldCompleteEveryOrderThroughALeaderCrash() throws Exception {
        Path dir = Files.createTempDirectory("flowraft-demo-it");
        try {
            Demo.Summary summary = Demo.run(Path.of(System.getProperty("flowraft.coordinator.jar")),
                    Path.of(System.getProperty("flowraft.worker.jar")), dir, 60);
            assertThat(summary.acknowledged()).isEqualTo(60);
            assertThat(summary.completed()).isEqualTo(60);
            assertThat(summary.lost()).isZero();
            assertThat(summary.failoverMs()).as("the leader was killed and replaced").isNotNegative();
            // 6 tasks per order, one of ship / expressShip skipped by its condition
            assertThat(summary.tasksRun()).isEqualTo(60 * 5);
            assertThat(summary.succeeded()).isTrue();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
