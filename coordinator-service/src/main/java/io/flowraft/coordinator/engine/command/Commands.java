package io.flowraft.coordinator.engine.command;

/** Helpers over the command hierarchy. */
public final class Commands {

    private Commands() {
    }

    /**
     * The same command stamped with the leader's clock. Only the leader stamps, just before proposing: a
     * follower's or client's clock never reaches the state machine.
     */
    public static Command stamp(Command command, long now) {
        return switch (command) {
            case ConfigureEngine c -> new ConfigureEngine(now, c.limits(), c.retention(), c.clusterId(), c.bootstrap());
            case AcknowledgeExport c -> new AcknowledgeExport(now, c.throughIndex());
            case ApplyRetention c -> new ApplyRetention(now);
            case RegisterDefinition c -> new RegisterDefinition(now, c.name(), c.version(), c.tasks());
            case SubmitWorkflow c -> new SubmitWorkflow(now, c.workflowId(), c.idempotencyKey(), c.definition(), c.tasks(),
                    c.input(), c.traceParent());
            case LeaseTasks c -> new LeaseTasks(now, c.workerId(), c.poller(), c.taskTypes(), c.maxTasks(), c.leaseMs(),
                    c.pollId(), c.principal(), c.preferWorkflows());
            case CompleteTask c -> new CompleteTask(now, c.leaseId(), c.output(), c.principal());
            case FailTask c -> new FailTask(now, c.leaseId(), c.error(), c.retryable(), c.principal());
            case Heartbeat c -> new Heartbeat(now, c.leaseId(), c.principal());
            case ConfigureTaskType c -> new ConfigureTaskType(now, c.type(), c.rateLimit());
            case ExpireLeases c -> new ExpireLeases(now);
            case CancelWorkflow c -> new CancelWorkflow(now, c.workflowId(), c.reason());
        };
    }
}
