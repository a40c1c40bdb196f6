package io.flowraft.coordinator.engine.simulation;

/**
 * What happens in one step of a simulation, before it is turned into a command. Picks ({@code pick},
 * {@code workflow}) are taken modulo whatever the simulator has at that moment; an action that finds
 * nothing to act on (a report while no worker holds a lease) sends nothing.
 */
sealed interface SimAction {

    /** Submits the workflow (again, if it was already: a keyed one is then answered, others are rejected). */
    record Submit(int workflow) implements SimAction {
    }

    /**
     * A worker polls.
     *
     * @param typeMask 1 for "alpha", 2 for "beta", 3 for both
     */
    record Lease(int worker, int typeMask, int maxTasks, long leaseMs, Poll poll) implements SimAction {
    }

    /** Whether a poll carries a poll id: none, a new one, or the worker's previous one (a retried poll). */
    enum Poll { NONE, FRESH, RETRY }

    /** A worker reports success of one of the leases it holds, with output {@code {"v":value}}. */
    record Complete(int pick, int value) implements SimAction {
    }

    /** A worker reports failure of one of the leases it holds. */
    record Fail(int pick, boolean retryable) implements SimAction {
    }

    /** A worker heartbeats one of the leases it holds. */
    record Heartbeat(int pick) implements SimAction {
    }

    /** A completion under a lease id that is most likely not current, on purpose. */
    record CompleteStale(Staleness kind, int pick, int value) implements SimAction {
    }

    enum Staleness {
        /** Any lease ever granted, whatever became of it. */
        OLD_LEASE,
        /** A task's current lease id with its token lowered by one. */
        LOWER_TOKEN,
        /** A token above any ever granted. */
        UNKNOWN_TOKEN
    }

    /**
     * A report that was accepted once is sent again (a worker retrying after a lost response).
     *
     * @param changed for a completion: with another output, which must be refused
     */
    record Repeat(int pick, boolean changed) implements SimAction {
    }

    /** The leader's clock moves forward. */
    record Advance(long millis) implements SimAction {
    }

    /** A new leader whose clock is behind the old one's: the stamps go back a little. */
    record SkewClock(long millis) implements SimAction {
    }

    /** The scheduler proposes ExpireLeases. */
    record Expire() implements SimAction {
    }

    record Cancel(int workflow) implements SimAction {
    }

    /** The main replica is replaced by one restored from its own snapshot. */
    record SnapshotRestore() implements SimAction {
    }
}
