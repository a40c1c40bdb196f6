package io.flowraft.contracts;

import java.util.List;

/**
 * {@code GET /api/v1/task-types}: every task type that has settings, in type order.
 *
 * @param taskTypes never {@code null}, may be empty
 */
public record TaskTypeList(List<TaskTypeView> taskTypes) {

    public TaskTypeList {
        taskTypes = Copies.orEmpty(taskTypes);
    }
}
