package io.flowraft.contracts;

/**
 * The settings of one task type: the answer of {@code GET} and {@code PUT /api/v1/task-types/{type}}. A type
 * without settings answers with {@code rateLimit} left out. The {@code PUT} body is
 * {@code {"rateLimit": {"perSecond": 50}}}, or {@code {"rateLimit": null}} to remove the limit (admin).
 *
 * @param type the task type
 * @param rateLimit its dispatch rate limit; {@code null} for none
 */
public record TaskTypeView(String type, RateLimit rateLimit) {
}
