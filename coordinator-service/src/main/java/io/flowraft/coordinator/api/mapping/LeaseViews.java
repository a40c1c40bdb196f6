package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.Lease;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import java.time.Instant;
import java.util.List;

/** Maps granted leases to the wire. */
public final class LeaseViews {

    private LeaseViews() {
    }

    public static List<Lease> toView(List<GrantedLease> leases) {
        return leases.stream().map(LeaseViews::toView).toList();
    }

    static Lease toView(GrantedLease lease) {
        return new Lease(lease.leaseId(), lease.workflowId(), lease.taskId(), lease.type(), lease.attempt(),
                JsonText.read(lease.input()), lease.idempotencyKey(), Instant.ofEpochMilli(lease.expiresAt()),
                lease.remainingMs() < 0 ? null : lease.remainingMs(), lease.traceParent());
    }
}
