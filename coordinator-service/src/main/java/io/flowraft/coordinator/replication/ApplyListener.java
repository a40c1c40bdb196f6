package io.flowraft.coordinator.replication;

import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Told, on the state machine thread, what an applied log entry changed for this node's waiters. Must return quickly. */
public interface ApplyListener {

    void applied(Applied entry);

    /**
     * Told the events one command of an entry wrote, as it is applied, before {@link #applied} hears of the entry:
     * for figures derived from the log (metrics), which every replica derives alike. Called with the apply lock
     * held, so {@code state} is the state just after the command: read it, never keep it. Must be quick and must
     * not throw, read a clock or do I/O; it cannot change what is applied. Not called for rejected commands, nor
     * for what a snapshot load brings. Does nothing by default.
     *
     * @param now the leader's stamp on the command
     */
    default void commandApplied(long now, List<Event> events, EngineReadState state) {
    }

    /**
     * @param index            the entry's log index, or the snapshot's applied index
     * @param readied          how many tasks of each type became READY in the entry (empty when none)
     * @param anyMayBeLeasable true when any task may have become leasable: after a snapshot load, or when a
     *                         lease holding a concurrency slot ended (the slot may unblock a task of any type)
     * @param endedWorkflows   workflows that became COMPLETED, FAILED or CANCELLED in the entry (empty when none)
     * @param stateReplaced    true when a snapshot replaced the whole state: anything may have changed
     * @param stamp            the latest leader stamp on the entry's commands, or 0 (a snapshot load)
     * @param polled           task types named by a poll ({@code LeaseTasks}) the entry applied without rejecting it,
     *                         with that poll's stamp: granted or empty alike (empty when none)
     */
    public record Applied(long index, Map<String, Integer> readied, boolean anyMayBeLeasable, Set<String> endedWorkflows,
            boolean stateReplaced, long stamp, Map<String, Long> polled) {

        public Applied(long index, Map<String, Integer> readied, boolean anyMayBeLeasable, Set<String> endedWorkflows,
                boolean stateReplaced) {
            this(index, readied, anyMayBeLeasable, endedWorkflows, stateReplaced, 0, Map.of());
        }

        public static Applied snapshotLoaded(long index) {
            return new Applied(index, Map.of(), true, Set.of(), true);
        }
    }
}
