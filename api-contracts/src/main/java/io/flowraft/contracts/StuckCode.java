package io.flowraft.contracts;

/**
 * Why a RUNNING workflow makes no progress: the {@code code} of a {@link StuckReason}. The wire names are stable;
 * new codes may be added, so a client shows a code it does not know rather than failing on it (which is why
 * {@link StuckReason#code()} is a string).
 */
public enum StuckCode {
    /** A READY task of a type no worker has polled for longer than the coordinators' threshold. */
    NO_WORKER_POLLING("no-worker-polling"),
    /** A READY task held back because its concurrency key has its maximum of tasks leased. */
    CONCURRENCY_LIMIT("concurrency-limit"),
    /** A READY task held back because its type's dispatch rate limit has no lease left for now. */
    RATE_LIMIT("rate-limit"),
    /** A task whose last attempts each ended with its lease expiring, the worker never reporting. */
    LEASE_EXPIRING_REPEATEDLY("lease-expiring-repeatedly"),
    /** A READY task waiting for its retry backoff to end. */
    RETRY_WAITING("retry-waiting");

    private final String code;

    StuckCode(String code) {
        this.code = code;
    }

    /** The name on the wire and in metrics labels. */
    public String code() {
        return code;
    }
}
