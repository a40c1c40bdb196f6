package io.flowraft.coordinator.scheduling;

import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: proposes {@code ApplyRetention} when something is due by the leader's clock: a finished workflow
 * past its retention whose history is exported, or a kept idempotency key past its own; and, every
 * {@value #POLL_SWEEP_MS} ms while poll records exist, to drop those whose leases are gone. Eviction is a
 * committed command, never a local decision, so every replica evicts the same workflows at the same entry. At
 * most one proposal in flight.
 */
public final class RetentionScheduler {

    private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);
    static final long POLL_SWEEP_MS = 30_000;

    private final CommandGateway gateway;
    private final StateReader state;
    private final Clock clock;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long lastSweep;

    public RetentionScheduler(CommandGateway gateway, StateReader state, Clock clock) {
        this.gateway = gateway;
        this.state = state;
        this.clock = clock;
    }

    public void tick() {
        if (!gateway.leads()) {
            return;
        }
        long now = clock.millis();
        boolean sweep = now - lastSweep >= POLL_SWEEP_MS;
        boolean due = state.local(s -> {
            var evictable = s.finishedBy(now - s.retention().finishedAfterMs(), 1);
            return !evictable.isEmpty() && s.exported(evictable.getFirst())
                    || !s.evictedKeysCreatedBy(now - s.retention().idempotencyKeysMs(), 1).isEmpty()
                    || sweep && !s.polls().isEmpty();
        });
        if (!due || !inFlight.compareAndSet(false, true)) {
            return;
        }
        if (sweep) {
            lastSweep = now;
        }
        gateway.commit(new ApplyRetention(0)).whenComplete((result, error) -> {
            inFlight.set(false);
            if (error != null) {
                log.debug("Retention proposal failed, retried on the next tick: {}", error.toString());
            }
        });
    }
}
