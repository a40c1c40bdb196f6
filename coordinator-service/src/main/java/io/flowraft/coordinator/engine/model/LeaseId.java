package io.flowraft.coordinator.engine.model;

import java.util.Optional;

/**
 * Names one lease: {@code <workflowId>.<taskId>.<fencingToken>}. The fencing token is unique across the
 * cluster and only grows, so the id never repeats; carrying the workflow and task lets the state machine
 * tell a stale report (409) from an unknown one (404) without remembering every lease ever granted.
 * Neither workflow ids nor task ids contain dots.
 */
public record LeaseId(String workflowId, String taskId, long fencingToken) {

    public static Optional<LeaseId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int last = text.lastIndexOf('.');
        int middle = last > 0 ? text.lastIndexOf('.', last - 1) : -1;
        if (middle <= 0 || last == text.length() - 1 || middle + 1 == last) {
            return Optional.empty();
        }
        String workflowId = text.substring(0, middle);
        String taskId = text.substring(middle + 1, last);
        if (!Ids.isValidId(workflowId) || !Ids.isValidId(taskId)) {
            return Optional.empty();
        }
        try {
            long token = Long.parseLong(text.substring(last + 1));
            return token > 0 ? Optional.of(new LeaseId(workflowId, taskId, token)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return workflowId + "." + taskId + "." + fencingToken;
    }
}
