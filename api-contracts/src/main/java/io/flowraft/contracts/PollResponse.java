package io.flowraft.contracts;

import java.util.List;

/**
 * The leases a poll was granted. The REST endpoint may answer the bare JSON array instead of this object; the
 * record exists for transports and clients that want a named type.
 *
 * @param leases the granted leases, possibly none; never {@code null}
 */
public record PollResponse(List<Lease> leases) {

    public PollResponse {
        leases = Copies.orEmpty(leases);
    }
}
