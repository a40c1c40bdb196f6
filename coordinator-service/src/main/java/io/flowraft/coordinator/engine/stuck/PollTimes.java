package io.flowraft.coordinator.engine.stuck;

/**
 * When task types were last polled, as far as one coordinator has seen: the stamps of the committed polls
 * ({@code LeaseTasks}, granted or empty) it applied. Not part of the replicated state (an empty poll changes
 * nothing there), but derived from the committed log alone, so every coordinator that applied the same entries
 * knows the same times, whichever of them the polls reached.
 */
public interface PollTimes {

    /** The leader's stamp on the last committed poll that named {@code type}, or 0 if none was seen. */
    long lastPolled(String type);

    /**
     * Since when every committed poll was seen: the stamp of the first entry applied after this coordinator
     * started or a snapshot replaced its state ({@code Long.MAX_VALUE} before any). A type with no poll seen has
     * not been polled since then.
     */
    long observedSince();
}
