package io.flowraft.contracts;

import java.time.Instant;

/**
 * Answer to {@code POST /api/v1/leases/{leaseId}/heartbeat}: the lease is still held and now lasts longer.
 *
 * @param leaseId the lease
 * @param leaseExpiresAt its new expiry
 */
public record HeartbeatResponse(String leaseId, Instant leaseExpiresAt) {
}
