package io.flowraft.coordinator.engine.state;

import io.flowraft.coordinator.engine.model.RateLimit;

/**
 * The settings of one task type, and the dispatch token bucket that enforces its rate limit. Immutable: a change
 * replaces the record. The bucket is refilled lazily: it held {@code tokens} micro-tokens at the stamped time
 * {@code refilledAt}, and what it holds later follows from the rate alone ({@link RateLimit#tokensAt}), so only a
 * lease that takes tokens (or a new rate) writes it, and an empty poll changes nothing.
 *
 * @param type       the task type
 * @param rateLimit  the dispatch rate limit
 * @param tokens     micro-tokens in the bucket at {@code refilledAt}
 * @param refilledAt the leader's stamp at which the bucket held {@code tokens}
 */
public record TaskTypeSettings(String type, RateLimit rateLimit, long tokens, long refilledAt) {

    /** Micro-tokens in the bucket at {@code now}. */
    public long tokensAt(long now) {
        return rateLimit.tokensAt(tokens, refilledAt, now);
    }

    /** Whole leases the bucket allows at {@code now}. */
    public long leasesAllowedAt(long now) {
        return tokensAt(now) / RateLimit.TOKEN;
    }

    /** When the bucket next holds a whole lease: {@code refilledAt} itself if it holds one already. */
    public long wholeTokenAt() {
        return rateLimit.wholeTokenAt(tokens, refilledAt);
    }
}
