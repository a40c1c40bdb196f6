package io.flowraft.coordinator.history;

/** PostgreSQL could not be reached or failed the operation; nothing was written, or the whole batch was. */
public final class HistoryUnavailableException extends RuntimeException {

    public HistoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
