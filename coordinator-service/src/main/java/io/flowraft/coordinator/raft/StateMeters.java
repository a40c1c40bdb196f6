package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What this node's replicated state holds, against the budget it is judged by: the figure that must stay flat
 * under steady load once retention evicts the past (the soak benchmark plots it).
 */
final class StateMeters implements MeterBinder {

    private final StateReader state;

    StateMeters(StateReader state) {
        this.state = state;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("flowraft.state.bytes", state, s -> s.local(r -> (double) r.heldBytes()))
                .description("What the replicated state holds, counted as the state budget counts it").baseUnit("bytes")
                .register(registry);
        Gauge.builder("flowraft.state.budget.bytes", state, s -> s.local(r -> (double) r.limits().maxStateBytes()))
                .description("The state budget (maxStateBytes) in force").baseUnit("bytes").register(registry);
    }
}
