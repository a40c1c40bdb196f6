package io.flowraft.contracts;

/**
 * Answer to a completion or failure report.
 *
 * @param leaseId the lease reported under
 * @param workflowId the task's workflow
 * @param taskId the task
 * @param taskStatus the task's status once the report is applied: COMPLETED, FAILED, or READY when a failure
 *     will be retried
 * @param duplicate {@code true} if this exact report had already been committed and nothing changed now
 */
public record ReportResponse(String leaseId, String workflowId, String taskId, TaskStatus taskStatus,
        boolean duplicate) {
}
