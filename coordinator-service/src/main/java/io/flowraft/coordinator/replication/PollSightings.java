package io.flowraft.coordinator.replication;

import io.flowraft.coordinator.engine.stuck.PollTimes;

/**
 * This coordinator's {@link PollTimes} (from the committed polls it applied) and the clock to judge them by: the
 * leader's own where this node leads, elsewhere the leader's time as the stamps applied here tell it. What
 * {@code GET /api/v1/workflows?stuck=true} and the stuck gauge measure "for how long" with.
 */
public interface PollSightings extends PollTimes {

    /** The leader's clock, in epoch milliseconds, as this node knows it. */
    long leaderNow();

    /** Whether this node leads now: only the leader reports the stuck gauge. */
    boolean leads();
}
