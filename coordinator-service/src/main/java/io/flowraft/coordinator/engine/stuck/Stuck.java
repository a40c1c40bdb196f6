package io.flowraft.coordinator.engine.stuck;

import io.flowraft.contracts.StuckCode;

/**
 * One reason a task holds its workflow up.
 *
 * @param detail for people: what holds it, with the numbers that matter
 */
public record Stuck(StuckCode code, String taskId, String type, String detail) {
}
