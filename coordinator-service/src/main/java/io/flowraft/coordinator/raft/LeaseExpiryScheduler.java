package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.command.ExpireLeases;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: proposes {@code ExpireLeases} once a lease is overdue by the leader's clock. Expiry is a
 * committed command, never a local decision, so every replica expires the same leases at the same index.
 * Called every {@code tick}; at most one proposal in flight, so a slow commit cannot pile them up.
 */
final class LeaseExpiryScheduler {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiryScheduler.class);

    private final Proposer proposer;
    private final EngineStateMachine fsm;
    private final Clock clock;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    LeaseExpiryScheduler(Proposer proposer, EngineStateMachine fsm, Clock clock) {
        this.proposer = proposer;
        this.fsm = fsm;
        this.clock = clock;
    }

    void tick() {
        if (!proposer.isLeader() || fsm.read(s -> s.nextLeaseExpiry()) > clock.millis()
                || !inFlight.compareAndSet(false, true)) {
            return;
        }
        proposer.propose(new ExpireLeases(0)).whenComplete((result, error) -> {
            inFlight.set(false);
            if (error != null) {
                log.debug("Lease expiry proposal failed, retried on the next tick: {}", error.toString());
            }
        });
    }
}
