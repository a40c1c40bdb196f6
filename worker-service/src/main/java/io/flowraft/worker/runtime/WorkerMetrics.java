package io.flowraft.worker.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's meters. Names (Prometheus adds {@code _total} / {@code _seconds}):
 * <ul>
 *   <li>{@code flowraft.worker.tasks} counter by {@code type}, {@code outcome}: {@code completed},
 *       {@code failed-retryable}, {@code failed-terminal}, {@code lease-lost}, {@code abandoned} (failed back on
 *       shutdown)</li>
 *   <li>{@code flowraft.worker.task.run} timer by {@code type}, {@code outcome}: handler run time</li>
 *   <li>{@code flowraft.worker.poll} timer by {@code result} ({@code leases}, {@code empty}, {@code error}):
 *       one long poll, request to answer</li>
 *   <li>{@code flowraft.worker.report} timer by {@code kind} ({@code completed}, {@code failed}): a report sent
 *       until the coordinator answered it, retries included</li>
 *   <li>{@code flowraft.worker.leases.lost} counter by {@code type}, {@code at} ({@code heartbeat},
 *       {@code report}): the coordinator said the lease was no longer held, or ({@code deadline}) its local
 *       deadline passed unextended; the result was dropped</li>
 *   <li>{@code flowraft.worker.heartbeats} counter by {@code type}, {@code result}: {@code extended},
 *       {@code not-extended} (the lease has reached the task's {@code timeoutMs}), {@code failed} (no
 *       coordinator answered, or one answered with an error), {@code refused} (the lease is gone)</li>
 *   <li>{@code flowraft.worker.tasks.in.flight} gauge: tasks leased and not yet reported</li>
 * </ul>
 */
public final class WorkerMetrics {

    public static final String TASKS = "flowraft.worker.tasks";
    public static final String TASK_RUN = "flowraft.worker.task.run";
    public static final String POLL = "flowraft.worker.poll";
    public static final String REPORT = "flowraft.worker.report";
    public static final String LEASES_LOST = "flowraft.worker.leases.lost";
    public static final String HEARTBEATS = "flowraft.worker.heartbeats";
    public static final String IN_FLIGHT = "flowraft.worker.tasks.in.flight";

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        registry.gauge(IN_FLIGHT, java.util.List.of(), inFlight, s -> s.get().doubleValue());
    }

    void taskFinished(String type, String outcome, Duration runTime) {
        Counter.builder(TASKS).tag("type", type).tag("outcome", outcome).register(registry).increment();
        if (runTime != null) {
            Timer.builder(TASK_RUN).tag("type", type).tag("outcome", outcome).register(registry).record(runTime);
        }
    }

    void polled(String result, long nanos) {
        Timer.builder(POLL).tag("result", result).register(registry).record(Duration.ofNanos(nanos));
    }

    void reported(String kind, long nanos) {
        Timer.builder(REPORT).tag("kind", kind).register(registry).record(Duration.ofNanos(nanos));
    }

    void heartbeat(String type, String result) {
        Counter.builder(HEARTBEATS).tag("type", type).tag("result", result).register(registry).increment();
    }

    void leaseLost(String type, String at) {
        Counter.builder(LEASES_LOST).tag("type", type).tag("at", at).register(registry).increment();
    }
}
