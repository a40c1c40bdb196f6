package io.flowraft.coordinator.history;

import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.StateSizes;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How far history export is behind, as gauges an operator alerts on. Read from this node's state. */
final class ExportLag {

    private ExportLag() {
    }

    static void register(MeterRegistry registry, StateReader state) {
        // Counted in what waits, not in log indexes: entries without workflow changes (polls, heartbeats, the
        // acknowledgements themselves) have nothing to export, so an idle cluster shows 0.
        Gauge.builder("flowraft.history.export.lag.entries", state, s -> s.local(r -> (double) r.unexported().size()))
                .description("Log entries whose history is not yet exported").register(registry);
        Gauge.builder("flowraft.history.export.lag.seconds", state, s -> s.local(ExportLag::seconds))
                .description("Age of the oldest history line not yet exported (0 when all is exported)")
                .register(registry);
        Gauge.builder("flowraft.history.outbox.entries", state, s -> s.local(ExportLag::outboxEntries))
                .description("Unexported (log entry, workflow) pairs held in the replicated state").register(registry);
        Gauge.builder("flowraft.history.outbox.bytes", state,
                        s -> s.local(r -> outboxEntries(r) * (double) StateSizes.OUTBOX_ENTRY))
                .description("What the outbox counts against the state budget (maxStateBytes)").baseUnit("bytes")
                .register(registry);
    }

    private static double outboxEntries(EngineReadState state) {
        return state.unexported().values().stream().mapToInt(Set::size).sum();
    }

    /** Seconds since the oldest unexported line was committed, by this node's clock. */
    private static double seconds(EngineReadState state) {
        Map.Entry<Long, ? extends Set<String>> oldest = state.unexported().firstEntry();
        if (oldest == null) {
            return 0;
        }
        WorkflowState workflow = state.workflow(oldest.getValue().iterator().next());
        if (workflow == null) {
            return 0;
        }
        List<HistoryEntry> history = workflow.history();
        for (HistoryEntry line : history) {
            if (line.index() == oldest.getKey()) {
                return Math.max(0, System.currentTimeMillis() - line.at()) / 1000.0;
            }
        }
        return 0;
    }
}
