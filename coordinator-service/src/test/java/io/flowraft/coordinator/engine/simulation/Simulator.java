package io.flowraft.coordinator.engine.simulation;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.EngineLimits;
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
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Runs a {@link Scenario} against two replicas of the engine, the main one and a shadow fed exactly the same
 * commands at the same indexes that is never restored, and hands every step to an {@link InvariantChecker}.
 * Workers are simulated: each keeps the leases it was granted until it reports them, as a real worker would,
 * and may report late, twice, or under a lease it never held. After the scenario's actions a drain phase
 * plays well-behaved workers until nothing is left to run.
 *
 * <p>Single-threaded and deterministic: the same scenario gives the same steps. Not reusable: one run per instance.
 */
final class Simulator {

    static final long START = 1_700_000_000_000L;
    static final String DRAIN_WORKER = "drainer";
    /** Longer than any lease and any backoff, so each drain round finds every pending retry due. */
    static final long DRAIN_STEP_MS = 31_000;
    static final int MAX_DRAIN_ROUNDS = 200;
    private static final int TRACE_LINES = 60;

    /** One step as the simulator saw it: the action, the command it became (null if none) and the answer. */
    record Outcome(SimAction action, Command command, CommandResult result) {
    }

    /** A trace line, formatted only if the run fails. */
    private record TraceLine(long index, long now, SimAction action, Command command, CommandResult result) {
        @Override
        public String toString() {
            return "#" + index + " t=+" + (now - START) + "ms " + (action == null ? "drain" : action) + " => "
                    + (command == null ? "(nothing sent)" : describe(command) + " -> " + result);
        }
    }

    private final Scenario scenario;
    private final EngineLimits limits = EngineLimits.DEFAULT;
    private final InvariantChecker checker;
    private final Engine shadow;
    private Engine main;
    private long index;
    private long now = START;
    private boolean clockMonotonic = true;
    private String mainDigest;
    private Observation observed;

    private final List<List<GrantedLease>> held = new ArrayList<>();
    private final List<GrantedLease> everGranted = new ArrayList<>();
    private final List<Command> acceptedReports = new ArrayList<>();
    private final String[] lastPollIds = new String[ScenarioGenerator.WORKERS];
    private int polls;

    private final List<Outcome> outcomes = new ArrayList<>();
    private final Deque<TraceLine> trace = new ArrayDeque<>();
    private int actionIndex = -1;

    Simulator(Scenario scenario) {
        this.scenario = scenario;
        this.checker = new InvariantChecker(scenario.workflows());
        this.main = new Engine(limits);
        this.shadow = new Engine(limits);
        this.mainDigest = main.digest();
        this.observed = Observation.of(main.state());
        for (int w = 0; w < ScenarioGenerator.WORKERS; w++) {
            held.add(new ArrayList<>());
        }
    }

    /**
     * Plays the scenario and the drain.
     *
     * @throws SimulationFailure when an invariant does not hold or the engine throws
     */
    void run() {
        try {
            for (actionIndex = 0; actionIndex < scenario.actions().size(); actionIndex++) {
                perform(scenario.actions().get(actionIndex));
            }
            actionIndex = -1;
            drain();
        } catch (InvariantViolation e) {
            throw new SimulationFailure(e.invariant(), actionIndex, e.getMessage(), traceLines(), e);
        } catch (RuntimeException e) {
            throw new SimulationFailure("engine-throws", actionIndex, e.toString(), traceLines(), e);
        }
    }

    private List<String> traceLines() {
        return trace.stream().map(TraceLine::toString).toList();
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    Counters counters() {
        return checker.counters();
    }

    Engine engine() {
        return main;
    }

    long now() {
        return now;
    }

    // ---- actions ----

    void perform(SimAction action) {
        switch (action) {
            case SimAction.Submit a -> submit(action, workflow(a.workflow()));
            case SimAction.Lease a -> lease(action, a);
            case SimAction.Complete a -> {
                GrantedLease lease = takeHeld(a.pick(), true);
                send(action, lease == null ? null : new CompleteTask(now, lease.leaseId(), output(a.value())));
            }
            case SimAction.Fail a -> {
                GrantedLease lease = takeHeld(a.pick(), true);
                send(action, lease == null ? null : new FailTask(now, lease.leaseId(), "worker error", a.retryable()));
            }
            case SimAction.Heartbeat a -> {
                GrantedLease lease = takeHeld(a.pick(), false);
                send(action, lease == null ? null : new Heartbeat(now, lease.leaseId()));
            }
            case SimAction.CompleteStale a -> {
                String leaseId = staleLeaseId(a.kind(), a.pick());
                send(action, leaseId == null ? null : new CompleteTask(now, leaseId, output(a.value())));
            }
            case SimAction.Repeat a -> send(action, repeat(a));
            case SimAction.Advance a -> {
                now += a.millis();
                note(action, null, null);
            }
            case SimAction.SkewClock a -> {
                now = Math.max(START, now - a.millis());
                clockMonotonic = false;
                note(action, null, null);
            }
            case SimAction.Expire a -> send(action, new ExpireLeases(now));
            case SimAction.Cancel a -> send(action, new CancelWorkflow(now, workflow(a.workflow()).id(), "simulated"));
            case SimAction.SnapshotRestore a -> restore(action);
        }
    }

    private void submit(SimAction action, SimWorkflow w) {
        send(action, new SubmitWorkflow(now, w.id(), w.idempotencyKey(), null, w.tasks(), w.input().json()));
    }

    private void lease(SimAction action, SimAction.Lease a) {
        List<String> types = switch (a.typeMask()) {
            case 1 -> List.of(ScenarioGenerator.TYPES.get(0));
            case 2 -> List.of(ScenarioGenerator.TYPES.get(1));
            default -> ScenarioGenerator.TYPES;
        };
        String pollId = switch (a.poll()) {
            case NONE -> null;
            case FRESH -> "poll-" + ++polls;
            case RETRY -> lastPollIds[a.worker()] != null ? lastPollIds[a.worker()] : "poll-" + ++polls;
        };
        String worker = "worker-" + a.worker();
        CommandResult result = send(action, new LeaseTasks(now, worker, types, a.maxTasks(), a.leaseMs(), pollId));
        if (result instanceof LeasesGranted granted) {
            if (pollId != null) {
                lastPollIds[a.worker()] = pollId;
            }
            List<GrantedLease> mine = held.get(a.worker());
            for (GrantedLease lease : granted.leases()) {
                if (mine.stream().noneMatch(l -> l.leaseId().equals(lease.leaseId()))) {
                    mine.add(lease);
                }
                if (!granted.replayed()) {
                    everGranted.add(lease);
                }
            }
        }
    }

    /** One of the leases the workers hold, by pick; a report takes it from its worker, a heartbeat does not. */
    private GrantedLease takeHeld(int pick, boolean report) {
        int total = held.stream().mapToInt(List::size).sum();
        if (total == 0) {
            return null;
        }
        int at = Math.floorMod(pick, total);
        for (List<GrantedLease> mine : held) {
            if (at < mine.size()) {
                return report ? mine.remove(at) : mine.get(at);
            }
            at -= mine.size();
        }
        throw new IllegalStateException("unreachable");
    }

    private String staleLeaseId(SimAction.Staleness kind, int pick) {
        switch (kind) {
            case OLD_LEASE -> {
                return everGranted.isEmpty() ? null
                        : everGranted.get(Math.floorMod(pick, everGranted.size())).leaseId();
            }
            case LOWER_TOKEN -> {
                List<TaskState> leased = new ArrayList<>();
                for (WorkflowState w : main.state().workflows().values()) {
                    for (TaskState t : w.tasks()) {
                        if (t.status() == io.flowraft.contracts.TaskStatus.LEASED && t.fencingToken() > 1) {
                            leased.add(t);
                        }
                    }
                }
                if (leased.isEmpty()) {
                    return null;
                }
                TaskState t = leased.get(Math.floorMod(pick, leased.size()));
                return new LeaseId(t.workflow().id(), t.taskId(), t.fencingToken() - 1).toString();
            }
            case UNKNOWN_TOKEN -> {
                List<? extends WorkflowState> all = List.copyOf(main.state().workflows().values());
                if (all.isEmpty()) {
                    return null;
                }
                WorkflowState w = all.get(Math.floorMod(pick, all.size()));
                TaskState t = w.tasks().get(Math.floorMod(pick, w.tasks().size()));
                long unknown = main.state().lastFencingToken() + 1 + Math.floorMod(pick, 3);
                return new LeaseId(w.id(), t.taskId(), unknown).toString();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** An accepted report sent again, stamped now: the same, or (if {@code changed}) with another output. */
    private Command repeat(SimAction.Repeat a) {
        if (acceptedReports.isEmpty()) {
            return null;
        }
        return switch (acceptedReports.get(Math.floorMod(a.pick(), acceptedReports.size()))) {
            case CompleteTask c ->
                    new CompleteTask(now, c.leaseId(), a.changed() ? output(10 + a.pick() % 10) : c.output());
            case FailTask f -> new FailTask(now, f.leaseId(), f.error(), a.changed() != f.retryable());
            default -> throw new IllegalStateException("only reports are repeated");
        };
    }

    private void restore(SimAction action) {
        long applied = main.state().lastAppliedIndex();
        main = Engine.restore(main.snapshot());
        String digest = main.digest();
        Observation after = Observation.of(main.state());
        note(action, null, null);
        checker.afterRestore(observed, after, mainDigest, digest, applied, main.state().lastAppliedIndex());
        mainDigest = digest;
        observed = after;
    }

    // ---- drain ----

    /** Well-behaved workers from here on: submit what never was, then run everything until all workflows end. */
    void drain() {
        for (SimWorkflow w : scenario.workflows()) {
            if (main.state().workflow(w.id()) == null) {
                submit(null, w);
            }
        }
        for (int round = 0; round < MAX_DRAIN_ROUNDS && !allEnded(); round++) {
            now += DRAIN_STEP_MS;
            send(null, new ExpireLeases(now));
            while (true) {
                CommandResult result = send(null,
                        new LeaseTasks(now, DRAIN_WORKER, ScenarioGenerator.TYPES, 50, 30_000, null));
                if (!(result instanceof LeasesGranted granted) || granted.leases().isEmpty()) {
                    break;
                }
                for (GrantedLease lease : granted.leases()) {
                    CommandResult reported = send(null, new CompleteTask(now, lease.leaseId(), output(5)));
                    if (!(reported instanceof TaskReported r) || r.duplicate()) {
                        throw new InvariantViolation(InvariantChecker.DRAINED,
                                "the drain could not complete " + lease.leaseId() + ": " + reported);
                    }
                }
            }
        }
        checker.afterDrain(Observation.of(main.state()));
    }

    private boolean allEnded() {
        return main.state().workflows().values().stream().allMatch(w -> w.status().isTerminal());
    }

    // ---- plumbing ----

    /** Applies one command to both replicas and checks the invariants; a null command is an idle step. */
    private CommandResult send(SimAction action, Command command) {
        if (command == null) {
            note(action, null, null);
            return null;
        }
        Observation before = observed;
        String digestBefore = mainDigest;
        long at = ++index;
        CommandResult result = main.apply(at, command);
        CommandResult shadowResult = shadow.apply(at, command);
        mainDigest = main.digest();
        observed = Observation.of(main.state());
        note(action, command, result);
        checker.afterCommand(new StepRecord(command, result, shadowResult, before, observed,
                digestBefore, mainDigest, shadow.digest(), main.state().lastAppliedIndex(),
                shadow.state().lastAppliedIndex(), main.state().nextDueTime(), shadow.state().nextDueTime(),
                clockMonotonic));
        if (result instanceof TaskReported r && !r.duplicate()) {
            acceptedReports.add(command);
        }
        return result;
    }

    private void note(SimAction action, Command command, CommandResult result) {
        if (action != null) {
            outcomes.add(new Outcome(action, command, result));
        }
        trace.addLast(new TraceLine(index, now, action, command, result));
        if (trace.size() > TRACE_LINES) {
            trace.removeFirst();
        }
    }

    private SimWorkflow workflow(int pick) {
        return scenario.workflows().get(Math.floorMod(pick, scenario.workflows().size()));
    }

    static String output(int value) {
        return "{\"v\":" + value + "}";
    }

    /** A command in one short line (a submit's DAG is left out: it is printed with the scenario). */
    static String describe(Command command) {
        return switch (command) {
            case SubmitWorkflow c -> "SubmitWorkflow(" + c.workflowId() + ", key=" + c.idempotencyKey() + ")";
            case LeaseTasks c -> "LeaseTasks(" + c.workerId() + ", " + c.taskTypes() + ", max=" + c.maxTasks()
                    + ", leaseMs=" + c.leaseMs() + ", poll=" + c.pollId() + ")";
            case CompleteTask c -> "CompleteTask(" + c.leaseId() + ", " + c.output() + ")";
            case FailTask c -> "FailTask(" + c.leaseId() + ", retryable=" + c.retryable() + ")";
            case Heartbeat c -> "Heartbeat(" + c.leaseId() + ")";
            case ExpireLeases c -> "ExpireLeases";
            case CancelWorkflow c -> "CancelWorkflow(" + c.workflowId() + ")";
            case RegisterDefinition c -> "RegisterDefinition(" + c.name() + ")";
            case ConfigureEngine c -> "ConfigureEngine(" + c.limits() + ")";
            case AcknowledgeExport c -> "AcknowledgeExport(" + c.throughIndex() + ")";
            case ApplyRetention c -> "ApplyRetention";
            case ConfigureTaskType c -> "ConfigureTaskType(" + c.type() + ", " + c.rateLimit() + ")";
        };
    }
}
