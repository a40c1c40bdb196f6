package io.flowraft.coordinator.engine;

import java.util.Map;
import java.util.Set;

/**
 * What a command changed that waiters outside the engine care about: which task types got READY tasks (long
 * polls to wake), which workflows ended (requests waiting for an end), and whether a lease holding a
 * concurrency slot ended or a task type's rate limit changed (a held-back task of any type may be leasable now). Derived from the command's
 * events, so it is the same on every replica, though only the node's own waiters use it.
 *
 * @param readied tasks made READY (new, or a retry scheduled), by type
 */
public record Changes(Map<String, Integer> readied, Set<String> endedWorkflows, boolean slotsFreed) {

    public static final Changes NONE = new Changes(Map.of(), Set.of(), false);

    public Changes {
        readied = Map.copyOf(readied);
        endedWorkflows = Set.copyOf(endedWorkflows);
    }

    public boolean isEmpty() {
        return readied.isEmpty() && endedWorkflows.isEmpty() && !slotsFreed;
    }
}
