package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.expression.Conditions;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.validation.DagValidator;

/** Every command and the one handler that decides it. The switch is exhaustive: a new command must be wired here. */
public final class CommandHandlers {

    private final ConfigureEngineHandler configureEngine;
    private final RegisterDefinitionHandler registerDefinition;
    private final SubmitWorkflowHandler submitWorkflow;
    private final LeaseTasksHandler leaseTasks;
    private final CompleteTaskHandler completeTask;
    private final FailTaskHandler failTask;
    private final HeartbeatHandler heartbeat;
    private final ExpireLeasesHandler expireLeases;
    private final CancelWorkflowHandler cancelWorkflow;
    private final AcknowledgeExportHandler acknowledgeExport = new AcknowledgeExportHandler();
    private final ApplyRetentionHandler applyRetention = new ApplyRetentionHandler();
    private final ConfigureTaskTypeHandler configureTaskType = new ConfigureTaskTypeHandler();

    /** Handlers read the limits in force from the state they are given, never from here. */
    public CommandHandlers(Conditions conditions) {
        DagValidator validator = new DagValidator(conditions);
        Progression progression = new Progression(conditions);
        this.configureEngine = new ConfigureEngineHandler();
        this.registerDefinition = new RegisterDefinitionHandler(validator);
        this.submitWorkflow = new SubmitWorkflowHandler(validator, progression);
        this.leaseTasks = new LeaseTasksHandler();
        this.completeTask = new CompleteTaskHandler(progression);
        this.failTask = new FailTaskHandler(progression);
        this.heartbeat = new HeartbeatHandler();
        this.expireLeases = new ExpireLeasesHandler(progression);
        this.cancelWorkflow = new CancelWorkflowHandler();
    }

    public CommandResult handle(Command command, EngineReadState state, EventWriter events) {
        return switch (command) {
            case ConfigureEngine c -> configureEngine.handle(c, state, events);
            case RegisterDefinition c -> registerDefinition.handle(c, state, events);
            case SubmitWorkflow c -> submitWorkflow.handle(c, state, events);
            case LeaseTasks c -> leaseTasks.handle(c, state, events);
            case CompleteTask c -> completeTask.handle(c, state, events);
            case FailTask c -> failTask.handle(c, state, events);
            case Heartbeat c -> heartbeat.handle(c, state, events);
            case ExpireLeases c -> expireLeases.handle(c, state, events);
            case CancelWorkflow c -> cancelWorkflow.handle(c, state, events);
            case AcknowledgeExport c -> acknowledgeExport.handle(c, state, events);
            case ApplyRetention c -> applyRetention.handle(c, state, events);
            case ConfigureTaskType c -> configureTaskType.handle(c, state, events);
        };
    }
}
