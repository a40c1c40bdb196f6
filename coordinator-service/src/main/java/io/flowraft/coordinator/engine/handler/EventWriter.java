package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EventApplier;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the events of the command being applied and applies each one at once, so that a handler sees
 * the effect of its earlier events (a completed task making its dependents ready, and so on).
 */
public final class EventWriter {

    private final EventApplier applier;
    private final long index;
    private final long now;
    private final List<Event> written = new ArrayList<>();

    public EventWriter(EventApplier applier, long index, long now) {
        this.applier = applier;
        this.index = index;
        this.now = now;
    }

    public void append(Event event) {
        applier.apply(event, index, now);
        written.add(event);
    }

    /** The log index of the command being applied. */
    public long index() {
        return index;
    }

    /** The leader's stamp on the command being applied. */
    public long now() {
        return now;
    }

    public List<Event> written() {
        return written;
    }
}
