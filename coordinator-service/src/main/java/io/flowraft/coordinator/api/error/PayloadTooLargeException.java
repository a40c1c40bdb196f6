package io.flowraft.coordinator.api.error;

import java.io.IOException;

/**
 * Thrown while reading a request body that turned out longer than the configured limit. An
 * {@link IOException}, so it can travel through any reader of the body stream (Jackson wraps it; the problem
 * mapping finds it in the cause chain).
 */
public final class PayloadTooLargeException extends IOException {

    private final long limitBytes;

    public PayloadTooLargeException(long limitBytes) {
        super("The request body is larger than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
