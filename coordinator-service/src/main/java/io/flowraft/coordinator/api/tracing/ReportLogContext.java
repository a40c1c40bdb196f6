package io.flowraft.coordinator.api.tracing;

import io.flowraft.coordinator.engine.model.LeaseId;
import org.slf4j.MDC;

/**
 * Puts the lease a request is about, and its workflow and task, into the logging context (MDC keys
 * {@code leaseId}, {@code workflowId}, {@code taskId}; the tracer adds {@code traceId} and {@code spanId} for
 * the span in scope) for as long as it is open, and puts back what was there before when closed. A lease id that
 * does not parse sets {@code leaseId} only.
 */
public final class ReportLogContext implements AutoCloseable {

    private static final String[] KEYS = {"leaseId", "workflowId", "taskId"};

    private final String[] before = new String[KEYS.length];

    private ReportLogContext(String leaseId) {
        for (int i = 0; i < KEYS.length; i++) {
            before[i] = MDC.get(KEYS[i]);
        }
        if (leaseId == null) {
            return;
        }
        MDC.put("leaseId", leaseId);
        LeaseId.parse(leaseId).ifPresent(parsed -> {
            MDC.put("workflowId", parsed.workflowId());
            MDC.put("taskId", parsed.taskId());
        });
    }

    public static ReportLogContext of(String leaseId) {
        return new ReportLogContext(leaseId);
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            if (before[i] == null) {
                MDC.remove(KEYS[i]);
            } else {
                MDC.put(KEYS[i], before[i]);
            }
        }
    }
}
