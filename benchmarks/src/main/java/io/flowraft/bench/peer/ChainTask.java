package io.flowraft.bench.peer;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.flowraft.bench.peer.PeerSettings.Chaining;
import java.time.Instant;

/**
 * The peer's one task, {@code chain-step}: a one-time execution that does no work (FlowRaft's {@code noop}) and
 * makes the workflow's next step due now, or, at the last step, ends the workflow. It is a db-scheduler
 * {@code CustomTask} rather than a {@code OneTimeTask} because only a custom task chooses its completion, which is
 * what lets {@link Chaining#REPLACE} turn "this step is done" and "the next is due" into one statement.
 */
final class ChainTask {

    static final TaskDescriptor<ChainStep> DESCRIPTOR = TaskDescriptor.of("chain-step", ChainStep.class);

    private ChainTask() {
    }

    /** The first step of a workflow, for a client to schedule. */
    static TaskInstance<ChainStep> first(int workflow) {
        return instance(ChainStep.first(workflow));
    }

    static CustomTask<ChainStep> create(StepLedger ledger, Chaining chaining) {
        return Tasks.custom(DESCRIPTOR).execute((instance, context) -> run(instance.getData(), context, ledger, chaining));
    }

    private static CompletionHandler<ChainStep> run(ChainStep step, ExecutionContext context, StepLedger ledger,
            Chaining chaining) {
        ledger.executed(step);
        if (step.last()) {
            return (complete, operations) -> {
                operations.remove();
                ledger.finished(step.workflow());
            };
        }
        ChainStep next = step.next();
        return switch (chaining) {
            case REPLACE -> (complete, operations) -> operations.removeAndScheduleNew(
                    DESCRIPTOR.instance(next.instanceId()).data(next).scheduledTo(Instant.now()));
            case CLIENT -> {
                context.getSchedulerClient().schedule(instance(next), Instant.now());
                yield (complete, operations) -> operations.remove();
            }
        };
    }

    private static TaskInstance<ChainStep> instance(ChainStep step) {
        return DESCRIPTOR.instance(step.instanceId()).data(step).build();
    }
}
