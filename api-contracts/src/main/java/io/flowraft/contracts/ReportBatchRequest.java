package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/reports}: several reports in one request, each answered on its own (see
 * {@link ReportBatchResponse}). A worker that finishes many tasks at once sends them together, so they cost one
 * HTTP request and share one Raft entry.
 *
 * @param reports 1 to 1,000 reports, applied in this order (a lease reported twice is answered as two separate
 *     reports would be)
 */
public record ReportBatchRequest(List<TaskReport> reports) {

    /** The most reports one request may carry. */
    public static final int MAX_REPORTS = 1_000;

    public ReportBatchRequest {
        reports = Copies.orEmpty(reports);
    }
}
