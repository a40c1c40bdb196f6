package io.flowraft.coordinator.api;

import io.flowraft.coordinator.engine.stuck.StuckRules;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When a RUNNING workflow counts as stuck ({@code flowraft.stuck.*}): for {@code GET /api/v1/workflows?stuck=true}
 * and the {@code flowraft_workflows_stuck} gauge. Each coordinator judges by its own settings: give them all the
 * same.
 *
 * @param noPollAfter a READY task whose type no worker polled for this long is {@code no-worker-polling}. Keep it
 *     above the longest long poll workers make (60 s, {@code waitMs} at most): a worker waiting in one re-polls
 *     only when a task of its types arrives or its wait ends
 * @param leaseExpiries a task whose last this-many attempts each ended with its lease expiring is
 *     {@code lease-expiring-repeatedly}
 * @param gaugeScanLimit the most workflows (finished ones included) one computation of the gauge examines, in id
 *     order, under the state's read lock: it bounds how long a scrape holds replication up. Past it, the gauge
 *     counts the workflows examined and {@code flowraft_workflows_stuck_scan_capped} is 1
 * @param gaugeInterval the gauge is computed at a scrape at most once per this interval, on the leader only
 */
@ConfigurationProperties("flowraft.stuck")
public record StuckProperties(
        @DefaultValue("90s") Duration noPollAfter,
        @DefaultValue("2") int leaseExpiries,
        @DefaultValue("10000") int gaugeScanLimit,
        @DefaultValue("10s") Duration gaugeInterval) {

    public StuckProperties {
        if (noPollAfter == null || noPollAfter.toMillis() < 1) {
            throw new IllegalArgumentException("flowraft.stuck.no-poll-after must be positive, was " + noPollAfter);
        }
        if (leaseExpiries < 1) {
            throw new IllegalArgumentException("flowraft.stuck.lease-expiries must be at least 1, was " + leaseExpiries);
        }
        if (gaugeScanLimit < 1) {
            throw new IllegalArgumentException("flowraft.stuck.gauge-scan-limit must be at least 1, was " + gaugeScanLimit);
        }
        if (gaugeInterval == null || gaugeInterval.isNegative()) {
            throw new IllegalArgumentException("flowraft.stuck.gauge-interval must not be negative, was " + gaugeInterval);
        }
    }

    public StuckRules rules() {
        return new StuckRules(noPollAfter.toMillis(), leaseExpiries);
    }
}
