package io.flowraft.contracts;

/**
 * Where a task stands. Legal transitions:
 * <pre>
 * PENDING -> READY | SKIPPED | FAILED (condition or input could not be evaluated) | CANCELLED
 * READY   -> LEASED | CANCELLED
 * LEASED  -> COMPLETED | FAILED | READY (retry after a failure or an expired lease) | CANCELLED
 * </pre>
 * COMPLETED, FAILED, SKIPPED and CANCELLED are terminal: a terminal task never changes again.
 */
public enum TaskStatus {
    PENDING,
    READY,
    LEASED,
    COMPLETED,
    FAILED,
    SKIPPED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }
}
