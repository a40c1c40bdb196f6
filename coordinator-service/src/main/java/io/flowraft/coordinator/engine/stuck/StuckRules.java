package io.flowraft.coordinator.engine.stuck;

/**
 * When a held-up task counts as stuck.
 *
 * @param noPollAfterMs a READY task's type polled by no worker for this long is {@code no-worker-polling}; keep it
 *     above the longest long poll workers make (60 s), or a worker waiting in one would look absent
 * @param leaseExpiries this many expired leases in a row, with no reported failure between, make a task
 *     {@code lease-expiring-repeatedly}
 */
public record StuckRules(long noPollAfterMs, int leaseExpiries) {

    public StuckRules {
        if (noPollAfterMs < 1) {
            throw new IllegalArgumentException("noPollAfterMs must be positive, was " + noPollAfterMs);
        }
        if (leaseExpiries < 1) {
            throw new IllegalArgumentException("leaseExpiries must be at least 1, was " + leaseExpiries);
        }
    }
}
