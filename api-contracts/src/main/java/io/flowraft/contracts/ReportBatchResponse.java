package io.flowraft.contracts;

import java.util.List;

/**
 * Answer to {@code POST /api/v1/reports} (200 whenever the request itself was well formed): one result per
 * report, in the order sent, and the leases its {@code next} poll was granted.
 *
 * @param results each report's own answer
 * @param leases the leases granted to the request's {@code next} poll, possibly none; {@code null} when it asked
 *     for none or when that poll failed ({@code leasesProblem} says why)
 * @param leasesProblem why the {@code next} poll has no answer (429/503 not proposed, 504 outcome unknown: poll
 *     again with the same {@code pollId} and {@code poller}); {@code null} otherwise
 */
public record ReportBatchResponse(List<Result> results, List<Lease> leases, Problem leasesProblem) {

    public ReportBatchResponse {
        results = Copies.orEmpty(results);
        leases = leases == null ? null : List.copyOf(leases);
    }

    /** The answer to reports that asked for no leases. */
    public ReportBatchResponse(List<Result> results) {
        this(results, null, null);
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
