package io.flowraft.contracts;

/**
 * When a task may run, judged once every one of its dependencies is terminal. A task whose rule does not
 * hold is SKIPPED, and that skip propagates to its own dependents through their rules.
 */
public enum TriggerRule {
    /** Every dependency COMPLETED. The default. */
    ALL_SUCCESS,
    /** Every dependency terminal, whatever the outcome: for clean-up steps. */
    ALL_DONE,
    /** At least one dependency COMPLETED. */
    ONE_SUCCESS,
    /** No dependency FAILED (COMPLETED or SKIPPED both count): for a join after a conditional branch. */
    NONE_FAILED
}
