package io.flowraft.coordinator.scheduling;

import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: proposes {@code ExpireLeases} once a lease is overdue by the leader's clock. Expiry is a
 * committed command, never a local decision, so every replica expires the same leases at the same index.
 * Called every tick; at most one proposal in flight, so a slow commit cannot pile them up.
 */
public final class LeaseExpiryScheduler {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiryScheduler.class);

    private final CommandGateway gateway;
    private final StateReader state;
    private final Clock clock;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    public LeaseExpiryScheduler(CommandGateway gateway, StateReader state, Clock clock) {
        this.gateway = gateway;
        this.state = state;
        this.clock = clock;
    }

    public void tick() {
        if (!gateway.leads() || state.local(s -> s.nextLeaseExpiry()) > clock.millis()
                || !inFlight.compareAndSet(false, true)) {
            return;
        }
        gateway.commit(new ExpireLeases(0)).whenComplete((result, error) -> {
            inFlight.set(false);
            if (error != null) {
                log.debug("Lease expiry proposal failed, retried on the next tick: {}", error.toString());
            }
        });
    }
}
