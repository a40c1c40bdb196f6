package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/reports}: several reports in one request, each answered on its own (see
 * {@link ReportBatchResponse}). A worker that finishes many tasks at once sends them together, so they cost one
 * HTTP request and share one Raft entry.
 *
 * <p>With {@code next}, the same exchange also asks for the worker's next leases: the coordinator proposes that
 * poll right after the reports, so it usually shares their Raft entry and sees the tasks they just made READY,
 * and answers its leases in {@link ReportBatchResponse#leases()}. A busy worker then needs no poll request and no
 * Raft entry of its own per task; polling stays for a worker with nothing to report.
 *
 * @param reports 1 to 1,000 reports, applied in this order (a lease reported twice is answered as two separate
 *     reports would be)
 * @param next optional: a poll to answer with the reports, checked as {@code POST /api/v1/tasks/poll} checks it
 *     (errors name {@code next.<field>}), except that it never waits ({@code waitMs} must be absent or 0). Give it a
 *     {@code pollId} and a {@code poller} of its own: a lost answer is then recovered by polling again with them,
 *     which answers the leases the lost answer carried. {@code null} asks for no leases
 */
public record ReportBatchRequest(List<TaskReport> reports, PollRequest next) {

    /** The most reports one request may carry. */
    public static final int MAX_REPORTS = 1_000;

    public ReportBatchRequest {
        reports = Copies.orEmpty(reports);
    }

    /** Reports that ask for no leases. */
    public ReportBatchRequest(List<TaskReport> reports) {
        this(reports, null);
    }
}
