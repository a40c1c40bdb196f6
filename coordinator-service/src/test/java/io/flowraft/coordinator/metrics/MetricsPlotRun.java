package io.flowraft.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.LoopingWorker;
import io.flowraft.coordinator.testing.PrometheusScrape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: run by hand to record the series of the dashboard during a workload, for the picture in
 * docs/METRICS.md. Writes the leader's scrapes, every 250 ms, to {@code flowraft.metrics.plot}/scrapes.txt, each
 * after a line {@code # t=<ms since start>}; {@code docs/observability/plot-workload.py} plots them.
 *
 * <pre>mvn -pl coordinator-service -am test -Dtest=MetricsPlotRun -Dflowraft.metrics.plot=/tmp/plot \
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * The workload: 300 workflows of two tasks with no worker (the backlog builds), then workers for both types (it
 * drains), a steady 20 workflows a second, and a burst of 200 concurrent submits against a proposal limit of 8
 * (refused 429 {@code proposal-queue-full}).
 */
@EnabledIfSystemProperty(named = "flowraft.metrics.plot", matches = ".+")
class MetricsPlotRun {

    @Test
    void recordTheDashboardSeriesDuringAWorkload() throws Exception {
        Path out = Path.of(System.getProperty("flowraft.metrics.plot"));
        Files.createDirectories(out);
        StringBuilder scrapes = new StringBuilder();
        try (InProcessCluster cluster = new InProcessCluster(3, "--flowraft.raft.max-in-flight=8").startAll()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            var client = cluster.client(leader);
            client.registerDefinition(new RegisterDefinitionRequest("orders", null, List.of(
                    new TaskSpec("charge", "charge", List.of(), null, null, null, null, 30_000L, null),
                    new TaskSpec("ship", "ship", List.of("charge"), null, null, null, null, 30_000L, null))));
            long start = System.currentTimeMillis();
            ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
            scraper.scheduleAtFixedRate(() -> {
                String text = PrometheusScrape.of(cluster.managementUri(leader)).text();
                synchronized (scrapes) {
                    scrapes.append("# t=").append(System.currentTimeMillis() - start).append('\n').append(text);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            AtomicInteger n = new AtomicInteger();
            for (int i = 0; i < 300; i++) {
                submit(client, n);
            }
            pause(Duration.ofSeconds(4));
            List<LoopingWorker> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(new LoopingWorker("plot-charge-" + w, "charge", () -> cluster.client(leader)));
                workers.add(new LoopingWorker("plot-ship-" + w, "ship", () -> cluster.client(leader)));
            }
            for (int s = 0; s < 200; s++) { // 10 s at 20 a second
                submit(client, n);
                pause(Duration.ofMillis(50));
            }
            int refused = 0;
            try (ExecutorService burst = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    answers.add(burst.submit(() -> submit(cluster.client(leader), n)));
                }
                for (Future<Boolean> answer : answers) {
                    refused += answer.get() ? 0 : 1;
                }
            }
            pause(Duration.ofSeconds(6));
            scraper.shutdown();
            scraper.awaitTermination(5, TimeUnit.SECONDS);
            for (LoopingWorker worker : workers) {
                worker.close();
            }
            assertThat(refused).as("the burst met the proposal limit").isPositive();
        }
        synchronized (scrapes) {
            Files.writeString(out.resolve("scrapes.txt"), scrapes);
        }
    }

    /** @return whether the submit was accepted (false: refused with a 429) */
    private static boolean submit(io.flowraft.contracts.client.FlowRaftClient client, AtomicInteger n) {
        try {
            client.submitWorkflow(new SubmitWorkflowRequest("orders", null,
                    FlowRaftJson.mapper().createObjectNode().put("n", n.incrementAndGet()), null));
            return true;
        } catch (FlowRaftProblemException e) {
            if (e.status() != 429) {
                throw e;
            }
            return false;
        }
    }

    /** The run's pacing, not a wait for a condition: this records a timeline. */
    private static void pause(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }
}
