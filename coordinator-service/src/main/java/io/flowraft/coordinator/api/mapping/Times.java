package io.flowraft.coordinator.api.mapping;

import java.time.Instant;

/** The engine keeps epoch milliseconds with 0 for "not set"; the wire has ISO instants or nothing. */
final class Times {

    private Times() {
    }

    static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }
}
