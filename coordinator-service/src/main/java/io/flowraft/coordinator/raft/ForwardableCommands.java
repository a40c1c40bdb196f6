package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;

/**
 * Which commands one coordinator may hand another to propose: those a client's REST request makes (submit,
 * cancel, register a definition, poll, heartbeat, complete, fail, an admin's settings or task type change). The rest are
 * proposed by the leader's own schedulers and exporter from its own state and clock (lease expiry, retention,
 * export acknowledgements, the first leader's bootstrap settings), so a forwarded one is either a race with a
 * lost leadership (retried on the next tick) or forged; the leader refuses it.
 */
final class ForwardableCommands {

    private ForwardableCommands() {
    }

    static boolean allows(Command command) {
        return switch (command) {
            case SubmitWorkflow c -> true;
            case CancelWorkflow c -> true;
            case RegisterDefinition c -> true;
            case LeaseTasks c -> true;
            case Heartbeat c -> true;
            case CompleteTask c -> true;
            case FailTask c -> true;
            // PUT /api/v1/cluster/engine-settings: never a bootstrap, never names the cluster.
            case ConfigureEngine c -> !c.bootstrap() && c.clusterId() == null;
            // PUT /api/v1/task-types/{type}
            case ConfigureTaskType c -> true;
            case ExpireLeases c -> false;
            case ApplyRetention c -> false;
            case AcknowledgeExport c -> false;
        };
    }
}
