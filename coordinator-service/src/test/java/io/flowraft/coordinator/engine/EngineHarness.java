package io.flowraft.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.DefinitionRef;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives an engine in tests: a controllable clock (the leader's stamp), log indexes that advance by one
 * per command, and short ways to build DAGs and send commands. Every command sent is kept, so a test can
 * replay the same log into a second engine.
 */
public final class EngineHarness {

    public static final long START = 1_700_000_000_000L;
    public static final long LEASE_MS = 30_000;

    private Engine engine;
    private long index;
    private long now = START;
    private final List<Command> log = new ArrayList<>();

    public EngineHarness() {
        this(new Engine());
    }

    public EngineHarness(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    public long now() {
        return now;
    }

    public long index() {
        return index;
    }

    public List<Command> log() {
        return List.copyOf(log);
    }

    public EngineHarness advance(long millis) {
        now += millis;
        return this;
    }

    /** Replaces the engine by one restored from its own snapshot; the log goes on from the same index. */
    public EngineHarness restoreFromSnapshot() {
        engine = Engine.restore(engine.snapshot());
        return this;
    }

    public CommandResult send(Command command) {
        log.add(command);
        return engine.apply(++index, command);
    }

    // ---- DAG building ----

    public static TaskBuilder task(String id) {
        return new TaskBuilder(id);
    }

    /** A task spec with the API's defaults, changed through its withers. */
    public static final class TaskBuilder {
        private final String id;
        private String type = "work";
        private List<String> dependsOn = List.of();
        private String input;
        private String when;
        private TriggerRule trigger = TriggerRule.ALL_SUCCESS;
        private RetryPolicy retry = new RetryPolicy(3, 1_000, 2.0, 60_000);
        private long timeoutMs = TaskSpec.DEFAULT_TIMEOUT_MS;
        private ConcurrencyLimit concurrency;

        TaskBuilder(String id) {
            this.id = id;
        }

        public TaskBuilder type(String type) {
            this.type = type;
            return this;
        }

        public TaskBuilder after(String... dependencies) {
            this.dependsOn = List.of(dependencies);
            return this;
        }

        public TaskBuilder input(String json) {
            this.input = json;
            return this;
        }

        public TaskBuilder when(String expression) {
            this.when = expression;
            return this;
        }

        public TaskBuilder trigger(TriggerRule trigger) {
            this.trigger = trigger;
            return this;
        }

        public TaskBuilder retry(int maxAttempts, long initialBackoffMs, double multiplier, long maxBackoffMs) {
            this.retry = new RetryPolicy(maxAttempts, initialBackoffMs, multiplier, maxBackoffMs);
            return this;
        }

        public TaskBuilder timeoutMs(long timeoutMs) {
            this.timeoutMs = timeoutMs;
            return this;
        }

        public TaskBuilder concurrency(String key, int max) {
            this.concurrency = new ConcurrencyLimit(key, max);
            return this;
        }

        public TaskSpec build() {
            return new TaskSpec(id, type, dependsOn, input, when, trigger, retry, timeoutMs, concurrency);
        }
    }

    public static List<TaskSpec> dag(TaskBuilder... tasks) {
        return java.util.Arrays.stream(tasks).map(TaskBuilder::build).toList();
    }

    // ---- commands ----

    public CommandResult register(String name, int version, List<TaskSpec> tasks) {
        return send(new RegisterDefinition(now, name, version, tasks));
    }

    public CommandResult submit(String workflowId, List<TaskSpec> tasks) {
        return send(new SubmitWorkflow(now, workflowId, null, null, tasks, "{}"));
    }

    public CommandResult submit(String workflowId, String input, List<TaskSpec> tasks) {
        return send(new SubmitWorkflow(now, workflowId, null, null, tasks, input));
    }

    public CommandResult submitKeyed(String workflowId, String key, String input, List<TaskSpec> tasks) {
        return send(new SubmitWorkflow(now, workflowId, key, null, tasks, input));
    }

    public CommandResult submitDefinition(String workflowId, String name, int version, String input) {
        return send(new SubmitWorkflow(now, workflowId, null, new DefinitionRef(name, version), null, input));
    }

    public CommandResult leaseResult(String worker, int max, String pollId, String... types) {
        return send(new LeaseTasks(now, worker, List.of(types), max, LEASE_MS, pollId));
    }

    public List<GrantedLease> lease(String worker, int max, String... types) {
        CommandResult result = leaseResult(worker, max, null, types);
        assertThat(result).isInstanceOf(LeasesGranted.class);
        return ((LeasesGranted) result).leases();
    }

    /** Leases exactly one task of type "work" and returns its lease. */
    public GrantedLease leaseOne() {
        List<GrantedLease> leases = lease("worker-1", 1, "work");
        assertThat(leases).hasSize(1);
        return leases.getFirst();
    }

    public CommandResult complete(String leaseId, String output) {
        return send(new CompleteTask(now, leaseId, output));
    }

    public CommandResult fail(String leaseId, String error, boolean retryable) {
        return send(new FailTask(now, leaseId, error, retryable));
    }

    public CommandResult heartbeat(String leaseId) {
        return send(new Heartbeat(now, leaseId));
    }

    public CommandResult expire() {
        return send(new ExpireLeases(now));
    }

    public CommandResult cancel(String workflowId) {
        return send(new CancelWorkflow(now, workflowId, "test"));
    }

    /** Leases and completes every leasable task of type "work" until none is left; returns how many ran. */
    public int runAll(String output) {
        int ran = 0;
        while (true) {
            List<GrantedLease> leases = lease("worker-all", 100, "work");
            if (leases.isEmpty()) {
                return ran;
            }
            for (GrantedLease lease : leases) {
                assertThat(complete(lease.leaseId(), output)).isInstanceOf(CommandResult.TaskReported.class);
                ran++;
            }
        }
    }

    // ---- reads ----

    public WorkflowState workflow(String workflowId) {
        return engine.state().workflow(workflowId);
    }

    public TaskState task(String workflowId, String taskId) {
        return workflow(workflowId).task(taskId);
    }

    public TaskStatus status(String workflowId, String taskId) {
        return task(workflowId, taskId).status();
    }

    public WorkflowStatus status(String workflowId) {
        return workflow(workflowId).status();
    }

    public static Rejection rejection(CommandResult result) {
        assertThat(result).isInstanceOf(Rejection.class);
        return (Rejection) result;
    }
}
