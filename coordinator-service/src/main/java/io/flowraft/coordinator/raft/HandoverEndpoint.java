package io.flowraft.coordinator.raft;

import java.time.Duration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/handover}: the Kubernetes {@code preStop} of a coordinator. When this node leads, it hands
 * leadership to the most caught-up follower and answers once another node leads, or after
 * {@code flowraft.raft.handover-timeout}; a follower (or a single node, with nobody to hand over to) answers at
 * once. Answers {@code {"wasLeader": .., "leader": "host:port" | null, "handedOver": ..}}, always 200: the pod
 * stops either way, and a leader that could not hand over still does on SIGTERM (bounded by two election
 * timeouts). Open on a separate management port; admin-only when the actuator shares the API port.
 */
@Endpoint(id = "handover")
public class HandoverEndpoint {

    private final RaftNode node;
    private final Duration timeout;

    HandoverEndpoint(RaftNode node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    @ReadOperation
    public Handover handOver() {
        return node.handOver(timeout);
    }
}
