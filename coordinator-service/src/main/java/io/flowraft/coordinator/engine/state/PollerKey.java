package io.flowraft.coordinator.engine.state;

/**
 * Whose poll a poll record remembers: one record per poller of a worker, since one worker process may run
 * several poll loops at once (one per lease length, say). A retried poll finds its own first try's leases even
 * when another loop of the same worker polled in between.
 *
 * @param poller the poll loop within the worker; {@code ""} for a worker that has only one
 */
public record PollerKey(String workerId, String poller) implements Comparable<PollerKey> {

    public PollerKey {
        poller = poller == null ? "" : poller;
    }

    @Override
    public int compareTo(PollerKey other) {
        int c = workerId.compareTo(other.workerId);
        return c != 0 ? c : poller.compareTo(other.poller);
    }
}
