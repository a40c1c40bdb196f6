package io.flowraft.coordinator.engine;

/**
 * How long the replicated state keeps what is no longer live. Part of the replicated settings, like
 * {@link EngineLimits}: eviction is a committed command, and every replica evicts the same things at the same
 * entry.
 *
 * @param finishedAfterMs   a workflow that completed, failed or was cancelled leaves the state this long after it
 *                          finished, once it has been exported to history (never before)
 * @param idempotencyKeysMs an idempotency key answers with its first workflow this long after that workflow was
 *                          submitted, even once the workflow itself has left the state; a repeat after that starts a
 *                          new workflow
 */
public record Retention(long finishedAfterMs, long idempotencyKeysMs) {

    public static final long HOUR_MS = 3_600_000;

    public static final Retention DEFAULT = new Retention(HOUR_MS, 24 * HOUR_MS);

    /** Retention can be short (tests, benchmarks) but not negative, and at most a year. */
    public static final long MAX_MS = 366L * 24 * HOUR_MS;

    public Retention {
        if (finishedAfterMs < 0 || idempotencyKeysMs < 0 || finishedAfterMs > MAX_MS || idempotencyKeysMs > MAX_MS) {
            throw new IllegalArgumentException("Retention must be between 0 and " + MAX_MS + " ms: " + this);
        }
    }
}
