package io.flowraft.coordinator.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the REST layer ({@code flowraft.api.*}). Every one has a default that works locally; a value out
 * of range fails startup with a message naming the property.
 *
 * @param maxBodySize the largest request body accepted; larger ones are answered 413 before they are buffered.
 *     Keep it above the engine's payload limit (256 KiB per input or output) plus the JSON around it
 * @param requestTimeout how long a request may wait for its command to commit or its read to be served before
 *     it is answered 504 (outcome unknown). A long poll gets this on top of its {@code waitMs}. The Raft layer
 *     has its own, shorter commit timeout; this is the backstop
 * @param listScanLimit the most workflows one list page examines while holding the state lock; a selective
 *     filter may so return a short page with a {@code nextCursor}, which bounds the time a page blocks
 *     replication
 */
@ConfigurationProperties("flowraft.api")
public record ApiProperties(
        @DefaultValue("4MB") DataSize maxBodySize,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("10000") int listScanLimit) {

    public ApiProperties {
        if (maxBodySize == null || maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("flowraft.api.max-body-size must be at least 1KB, was " + maxBodySize);
        }
        if (requestTimeout == null || requestTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("flowraft.api.request-timeout must be at least 100ms, was " + requestTimeout);
        }
        if (listScanLimit < 1) {
            throw new IllegalArgumentException("flowraft.api.list-scan-limit must be at least 1, was " + listScanLimit);
        }
    }
}
