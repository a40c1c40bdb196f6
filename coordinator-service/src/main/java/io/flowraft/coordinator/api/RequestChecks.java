package io.flowraft.coordinator.api;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.error.Quote;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.replication.ReadConsistency;
import java.time.Instant;

/**
 * Shape checks on path and query values, made before anything is proposed or read, so a malformed id is a
 * 400 naming the parameter rather than a 404 or a wasted log entry. What the values mean is the engine's
 * business.
 */
final class RequestChecks {

    private RequestChecks() {
    }

    /** A workflow id, definition name or task type from the path: {@value Ids#ID_RULE}. */
    static String id(String field, String value) {
        if (!Ids.isValidId(value)) {
            throw ApiProblemException.invalid(field, "Expected '" + field + "' to match " + Ids.ID_RULE
                    + ", but found " + Quote.of(value));
        }
        return value;
    }

    static String leaseId(String value) {
        if (LeaseId.parse(value).isEmpty()) {
            throw ApiProblemException.invalid("leaseId",
                    "Expected a lease id <workflowId>.<taskId>.<fencingToken> as granted by a poll, but found "
                            + Quote.of(value));
        }
        return value;
    }

    /** {@code ?consistency=}: absent or {@code linearizable} (the default), or {@code stale}. */
    static ReadConsistency consistency(String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("linearizable")) {
            return ReadConsistency.LINEARIZABLE;
        }
        if (value.equalsIgnoreCase(FlowRaftHttp.CONSISTENCY_STALE)) {
            return ReadConsistency.STALE;
        }
        throw ApiProblemException.invalid(FlowRaftHttp.CONSISTENCY,
                "Expected 'consistency' to be 'linearizable' or 'stale', but found " + Quote.of(value));
    }

    /** An optional idempotency key (a list filter): absent, or {@value Ids#KEY_RULE}. */
    static String key(String field, String value) {
        if (value != null && !Ids.isValidKey(value)) {
            throw ApiProblemException.invalid(field, "Expected '" + field + "' to be " + Ids.KEY_RULE + ", but found "
                    + Quote.of(value));
        }
        return value;
    }

    /** An optional time range: {@code from} before {@code to} when both are given. */
    static void range(String fromField, Instant from, String toField, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblemException.invalid(toField, "Expected '" + toField + "' to be after '" + fromField
                    + "' (" + from + "), but found " + to);
        }
    }

    /** An optional version: absent, or at least 1. */
    static Integer version(Integer version) {
        if (version != null && version < 1) {
            throw ApiProblemException.invalid("version", "Expected a version of at least 1, but found " + version);
        }
        return version;
    }
}
