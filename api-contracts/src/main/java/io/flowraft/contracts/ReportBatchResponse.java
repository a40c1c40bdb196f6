package io.flowraft.contracts;

import java.util.List;

/**
 * Answer to {@code POST /api/v1/reports} (200 whenever the request itself was well formed): one result per
 * report, in the order sent.
 *
 * @param results each report's own answer
 */
public record ReportBatchResponse(List<Result> results) {

    public ReportBatchResponse {
        results = Copies.orEmpty(results);
    }

    /**
     * What {@code /leases/{leaseId}/complete} or {@code /fail} would have answered for this report.
     *
     * @param leaseId the lease reported under
     * @param status that answer's HTTP status: 200, or the problem's status (409 stale lease, 404 unknown lease,
     *     429/503/504 to be sent again, ...)
     * @param report the answer when 200; {@code null} otherwise
     * @param problem the problem otherwise; {@code null} when 200
     */
    public record Result(String leaseId, int status, ReportResponse report, Problem problem) {
    }
}
