package io.flowraft.coordinator.raft;

import java.util.Set;

/** Told, on the state machine thread, what an applied log entry made leasable. Must return quickly. */
interface ApplyListener {

    /**
     * @param readiedTypes task types of tasks that became READY in the entry (empty when none)
     * @param anyMayBeLeasable true when any task may have become leasable: after a snapshot load, or when a
     *                         lease holding a concurrency slot ended (the slot may unblock a task of any type)
     */
    void applied(long index, Set<String> readiedTypes, boolean anyMayBeLeasable);
}
