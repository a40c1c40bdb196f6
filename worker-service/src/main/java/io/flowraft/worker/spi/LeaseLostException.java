package io.flowraft.worker.spi;

/**
 * The attempt's lease is no longer held (expired and given to another attempt, or revoked by a cancel):
 * whatever the handler produces now is rejected by the coordinator, so it should stop.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
