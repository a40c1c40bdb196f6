package io.flowraft.worker.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run slot a leased task holds (one of the worker's and one of its type's), given back exactly once: by the
 * report exchange that carries the task's outcome, which turns it into a lease for the next task, or else by the
 * task when it ends.
 */
final class Slot {

    private final String type;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Slot(String type) {
        this.type = type;
    }

    String type() {
        return type;
    }

    /** True for the one caller that gives the slot back; false for everyone after. */
    boolean giveUp() {
        return held.compareAndSet(true, false);
    }
}
