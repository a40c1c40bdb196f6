package io.flowraft.coordinator.metrics;

import io.flowraft.coordinator.engine.state.EngineReadState.ReadyBacklog;
import io.flowraft.coordinator.replication.ApplyListener;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The READY backlog per task type, what workers autoscale on (an HPA through an adapter, or KEDA's Prometheus
 * scaler): {@code flowraft_tasks_ready} (READY tasks that may be leased now) and
 * {@code flowraft_tasks_ready_oldest_age_seconds} (how long the oldest of them has waited, by the leader's clock).
 * Read from this node's state when scraped, never computed while applying. Every coordinator reports them from
 * its own copy of the state; the leader's are the reference (a follower's age uses the leader's time as the
 * applied stamps tell it). A type gets its gauges once a task of it becomes READY, and keeps them at 0 after.
 *
 * <p>One scrape reads every gauge; the backlog is computed once per scrape (at most once per
 * {@value #REUSE_MS} ms) under the state's read lock: a look at each type with READY tasks.
 */
public final class BacklogMeters implements ApplyListener {

    static final long REUSE_MS = 500;

    private final StateReader state;
    private final LongSupplier leaderNow;
    private final MeterRegistry registry;
    private final LabelCap types;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private Map<String, Backlog> last = Map.of();
    private long lastAtNanos;

    private record Backlog(int tasks, double oldestAgeSeconds) {
    }

    public BacklogMeters(StateReader state, LongSupplier leaderNow, MeterRegistry registry, LabelCap types) {
        this.state = state;
        this.leaderNow = leaderNow;
        this.registry = registry;
        this.types = types;
    }

    /** Registers the gauges of types that got READY tasks (after a snapshot load: of every type READY in it). */
    @Override
    public void applied(Applied entry) {
        entry.readied().keySet().forEach(this::register);
        if (entry.stateReplaced()) {
            state.local(s -> s.readyBacklog(Long.MAX_VALUE).keySet()).forEach(this::register);
        }
    }

    private void register(String type) {
        String label = types.label(type);
        if (!registered.add(label)) {
            return;
        }
        Gauge.builder("flowraft.tasks.ready", this, m -> m.backlog(label).tasks())
                .description("READY tasks that may be leased now (backoff over), by type: what workers scale on")
                .tag("type", label).register(registry);
        Gauge.builder("flowraft.tasks.ready.oldest.age", this, m -> m.backlog(label).oldestAgeSeconds())
                .description("How long the oldest leasable READY task of the type has waited, by the leader's clock;"
                        + " 0 when none waits")
                .baseUnit("seconds").tag("type", label).register(registry);
    }

    private Backlog backlog(String label) {
        return current().getOrDefault(label, new Backlog(0, 0));
    }

    private Map<String, Backlog> current() {
        synchronized (lock) {
            long nanos = System.nanoTime();
            if (lastAtNanos == 0 || nanos - lastAtNanos > TimeUnit.MILLISECONDS.toNanos(REUSE_MS)) {
                last = compute(leaderNow.getAsLong());
                lastAtNanos = nanos;
            }
            return last;
        }
    }

    private Map<String, Backlog> compute(long now) {
        NavigableMap<String, ReadyBacklog> ready = state.local(s -> s.readyBacklog(now));
        Map<String, Backlog> byLabel = new HashMap<>();
        ready.forEach((type, backlog) -> {
            double age = Math.max(0, now - backlog.leasableSince()) / 1000.0;
            byLabel.merge(types.label(type), new Backlog(backlog.tasks(), age),
                    (a, b) -> new Backlog(a.tasks() + b.tasks(), Math.max(a.oldestAgeSeconds(), b.oldestAgeSeconds())));
        });
        return byLabel;
    }
}
