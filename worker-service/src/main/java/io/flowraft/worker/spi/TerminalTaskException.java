package io.flowraft.worker.spi;

/**
 * Thrown by a handler when another attempt cannot succeed (bad input, a refused payment): the task fails
 * at once, whatever attempts its retry policy has left. Any other exception lets the task be retried.
 */
public class TerminalTaskException extends RuntimeException {

    public TerminalTaskException(String message) {
        super(message);
    }

    public TerminalTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
