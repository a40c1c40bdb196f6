package io.flowraft.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void shouldFillOnlyMissingRetryFields() {
        // given a policy that states two of four fields
        RetryPolicy partial = new RetryPolicy(5, null, 3.0, null);

        // when defaults are applied
        RetryPolicy resolved = partial.withDefaults();

        // then stated fields are kept and the others take the documented defaults
        assertThat(resolved).isEqualTo(new RetryPolicy(5, 1_000L, 3.0, 60_000L));
    }

    @Test
    void shouldUseDefaultRetryAndTriggerForATaskThatStatesNone() {
        // given a task without retry policy or trigger
        TaskSpec spec = new TaskSpec("a", "t", null, null, null, null, null, null, null);

        // when the effective values are asked for
        // then they are the defaults: 3 attempts, 1 s, x2, 60 s; ALL_SUCCESS
        assertThat(spec.effectiveRetry()).isEqualTo(new RetryPolicy(3, 1_000L, 2.0, 60_000L));
        assertThat(spec.effectiveTrigger()).isEqualTo(TriggerRule.ALL_SUCCESS);
    }

    @Test
    void shouldAllowRetryUnlessTheFailureSaysOtherwise() {
        // given failures stating retryable, not retryable, and nothing
        // when asked whether a retry is allowed
        // then only an explicit false forbids it
        assertThat(new FailTaskRequest("e", null).retryAllowed()).isTrue();
        assertThat(new FailTaskRequest("e", true).retryAllowed()).isTrue();
        assertThat(new FailTaskRequest("e", false).retryAllowed()).isFalse();
    }

    @Test
    void shouldKeyAllAttemptsOfATaskAlike() {
        // given a workflow and task id
        // when the idempotency key is built
        // then it is workflowId/taskId, the same for every attempt
        assertThat(Lease.idempotencyKeyFor("w-17", "charge")).isEqualTo("w-17/charge");
    }
}
