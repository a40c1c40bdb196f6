package io.flowraft.contracts;

import java.time.Instant;

/**
 * Answer to {@code POST /api/v1/leases/{leaseId}/heartbeat}: the lease is still held and now lasts longer.
 *
 * @param leaseId the lease
 * @param leaseExpiresAt its new expiry, by the leader's clock
 * @param leaseRemainingMs how long the lease has left from when the heartbeat was committed, in milliseconds (see
 *     {@link Lease#leaseRemainingMs()}); {@code null} from a server that does not send it
 */
public record HeartbeatResponse(String leaseId, Instant leaseExpiresAt, Long leaseRemainingMs) {

    /** An answer without the remaining time (as an older server sends it). */
    public HeartbeatResponse(String leaseId, Instant leaseExpiresAt) {
        this(leaseId, leaseExpiresAt, null);
    }
}
