package io.flowraft.coordinator.api;

import io.flowraft.contracts.StuckCode;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.engine.stuck.Stuck;
import io.flowraft.coordinator.engine.stuck.StuckCheck;
import io.flowraft.coordinator.engine.stuck.StuckRules;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.StateReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code flowraft_workflows_stuck{reason}}: how many RUNNING workflows have at least one reason of each
 * {@link StuckCode} (a workflow with two reasons counts under both), as {@code ?stuck=true} would list them.
 * Computed at a scrape, at most once per {@code flowraft.stuck.gauge-interval}, on the leader only: other
 * coordinators report 0, so {@code max} or {@code sum} over the pods gives the cluster's figure. One computation
 * examines at most {@code flowraft.stuck.gauge-scan-limit} workflows in id order under the state's read lock;
 * {@code flowraft_workflows_stuck_scan_capped} is 1 when it stopped there (the counts then cover only those).
 */
@Component
public class StuckMeters implements MeterBinder {

    private final StateReader state;
    private final PollSightings sightings;
    private final StuckRules rules;
    private final int scanLimit;
    private final long intervalNanos;
    private Counts last;

    private record Counts(long computedAtNanos, Map<StuckCode, Integer> byCode, boolean capped) {
    }

    public StuckMeters(StateReader state, PollSightings sightings, StuckProperties properties) {
        this.state = state;
        this.sightings = sightings;
        this.rules = properties.rules();
        this.scanLimit = properties.gaugeScanLimit();
        this.intervalNanos = properties.gaugeInterval().toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (StuckCode code : StuckCode.values()) {
            Gauge.builder("flowraft.workflows.stuck", this, meters -> meters.counts().byCode().get(code))
                    .tag("reason", code.code())
                    .description("RUNNING workflows held up for this reason (leader only; 0 on other coordinators)")
                    .register(registry);
        }
        Gauge.builder("flowraft.workflows.stuck.scan.capped", this, meters -> meters.counts().capped() ? 1 : 0)
                .description("1 when the last count of stuck workflows stopped at flowraft.stuck.gauge-scan-limit")
                .register(registry);
    }

    /** The counts, computed again once the interval has passed since the last computation. */
    synchronized Counts counts() {
        long now = System.nanoTime();
        if (last == null || now - last.computedAtNanos() >= intervalNanos) {
            Counts counted = sightings.leads() ? state.local(this::count) : new Counts(now, zeros(), false);
            last = new Counts(now, counted.byCode(), counted.capped());
        }
        return last;
    }

    private Counts count(EngineReadState read) {
        long now = sightings.leaderNow();
        Map<StuckCode, Integer> byCode = zeros();
        int examined = 0;
        for (WorkflowState workflow : read.workflows().values()) {
            if (examined++ == scanLimit) {
                return new Counts(0, byCode, true);
            }
            Set<StuckCode> codes = EnumSet.noneOf(StuckCode.class);
            for (Stuck stuck : StuckCheck.reasons(read, workflow, now, sightings, rules)) {
                codes.add(stuck.code());
            }
            codes.forEach(code -> byCode.merge(code, 1, Integer::sum));
        }
        return new Counts(0, byCode, false);
    }

    private static Map<StuckCode, Integer> zeros() {
        Map<StuckCode, Integer> zeros = new EnumMap<>(StuckCode.class);
        for (StuckCode code : StuckCode.values()) {
            zeros.put(code, 0);
        }
        return zeros;
    }
}
