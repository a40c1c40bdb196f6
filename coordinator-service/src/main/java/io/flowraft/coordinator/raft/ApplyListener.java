package io.flowraft.coordinator.raft;

import java.util.Set;

/** Told, on the state machine thread, what an applied log entry made leasable. Must return quickly. */
interface ApplyListener {

    /**
     * @param readiedTypes task types of tasks that became READY in the entry (empty when none)
     * @param wholeStateReplaced true after a snapshot load: anything may have changed
     */
    void applied(long index, Set<String> readiedTypes, boolean wholeStateReplaced);
}
