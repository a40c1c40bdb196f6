package io.flowraft.coordinator.scheduling;

import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.StateReader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: on a cluster whose limits were never set, or that has no name yet (one from before names),
 * proposes this node's configured limits and retention ({@code flowraft.engine.*}, {@code flowraft.retention.*})
 * and a new cluster name as a bootstrap {@code ConfigureEngine}. The state machine keeps only the first such
 * proposal, so whichever node leads first decides, and every node applies the same settings from that entry on. Once limits are set, tells the operator (once) if this node's own properties differ from them: the
 * committed values win, and {@code PUT /api/v1/cluster/engine-settings} is how to change them.
 */
public final class EngineSettingsBootstrap {

    private static final Logger log = LoggerFactory.getLogger(EngineSettingsBootstrap.class);

    private final CommandGateway gateway;
    private final StateReader state;
    private final InitialSettings configured;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean compared = new AtomicBoolean();

    public EngineSettingsBootstrap(CommandGateway gateway, StateReader state, InitialSettings configured) {
        this.gateway = gateway;
        this.state = state;
        this.configured = configured;
    }

    public void tick() {
        if (!gateway.leads()) {
            return;
        }
        InitialSettings committed = state.local(s -> s.limitsConfigured() && s.clusterId() != null
                ? new InitialSettings(s.limits(), s.retention()) : null);
        if (committed != null) {
            if (compared.compareAndSet(false, true) && !committed.equals(configured)) {
                log.warn("This node's flowraft.engine.* and flowraft.retention.* settings {} differ from those the "
                        + "cluster committed {}; the committed ones apply. Change them with "
                        + "PUT /api/v1/cluster/engine-settings", configured, committed);
            }
            return;
        }
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        // The cluster's name: random once, then committed for good (the first bootstrap to commit names it).
        String clusterId = UUID.randomUUID().toString().replace("-", "");
        gateway.commit(new ConfigureEngine(0, configured.limits(), configured.retention(), clusterId, true))
                .whenComplete((result, error) -> {
                    inFlight.set(false);
                    if (error != null) {
                        log.debug("Proposing the initial settings failed, retried on the next tick: {}", error.toString());
                    } else {
                        log.info("Proposed the initial settings {}: {}", configured, result.result());
                    }
                });
    }
}
