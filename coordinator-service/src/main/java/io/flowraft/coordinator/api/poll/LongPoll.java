package io.flowraft.coordinator.api.poll;

import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.TaskArrivals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One long poll, driven by futures: no thread waits. It proposes {@link PollPlan#command()}; if no lease comes
 * back and time remains, it waits for {@link TaskArrivals} to signal that a task of the asked types may be
 * ready, then proposes again; at the deadline it answers with no leases.
 *
 * <p>The wake-up is registered <em>before</em> each proposal: a task made ready while the proposal is in
 * flight completes the registration at once, so it is never missed (at worst one spurious re-proposal).
 * On the leader, a poll that may wait first looks at the state the leader already holds: with no READY task of
 * its types (and not a retry of its poller's last poll) it waits without proposing, as an empty lease would
 * only cost a Raft entry. The registration comes before that look too, so a task made READY after it wakes the
 * poll. A follower cannot tell (its state may lag the leader's) and forwards every proposal. See
 * {@link IdlePolls}, also for the occasional empty proposal that keeps the types' poll sightings fresh.
 * Every proposal carries the same poll id, so the engine grants at most one batch per poll. A replayed
 * poll id (a worker retrying its own poll) answers at once with whatever the first try still holds.
 */
public final class LongPoll {

    private final CommandGateway gateway;
    private final IdlePolls idle;
    private final TaskArrivals arrivals;
    private final Executor executor;
    private final PollPlan plan;
    private final Deadline deadline;
    private final CompletableFuture<List<GrantedLease>> result = new CompletableFuture<>();
    private volatile CompletableFuture<Void> wake;

    LongPoll(CommandGateway gateway, IdlePolls idle, TaskArrivals arrivals, Executor executor, PollPlan plan) {
        this.gateway = gateway;
        this.idle = idle;
        this.arrivals = arrivals;
        this.executor = executor;
        this.plan = plan;
        this.deadline = Deadline.after(plan.waitFor());
    }

    /** Starts the poll; the future completes with the granted leases, possibly none, or fails with the cause. */
    CompletableFuture<List<GrantedLease>> start() {
        propose();
        return result;
    }

    /**
     * Stops waiting (the client went away or the request timed out): no further proposal is made. A proposal
     * already in flight may still grant leases; they expire unless the worker retries with its own poll id.
     */
    public void cancel() {
        result.cancel(false);
        cancelWake();
    }

    private void propose() {
        if (result.isDone()) {
            return;
        }
        long refreshInMs = idle.refreshInMs(plan.command());
        Duration waitFor = deadline.remainingRoundedUp();
        if (refreshInMs > 0 && refreshInMs < waitFor.toMillis()) {
            waitFor = Duration.ofMillis(refreshInMs); // then it wakes, and proposes to refresh its types' sightings
        }
        CompletableFuture<Void> registration = deadline.passed()
                ? null
                : arrivals.await(plan.command().taskTypes(), plan.command().maxTasks(), waitFor);
        wake = registration;
        if (registration != null && refreshInMs > 0 && !idle.worthProposing(plan.command())) {
            registration.whenCompleteAsync((ignored, error) -> afterWake(registration), executor);
            return;
        }
        CompletableFuture<CommandResult> proposal;
        try {
            proposal = gateway.submit(plan.command());
        } catch (RuntimeException e) {
            finishExceptionally(e);
            return;
        }
        proposal.whenCompleteAsync((answer, failure) -> {
            try {
                answered(answer, failure, registration);
            } catch (RuntimeException e) {
                // Never leave the poll hanging until the request times out.
                finishExceptionally(e);
            }
        }, executor);
    }

    private void answered(CommandResult answer, Throwable failure, CompletableFuture<Void> registration) {
        if (failure != null) {
            finishExceptionally(failure);
            return;
        }
        if (answer instanceof Rejection rejection) {
            finishExceptionally(ApiProblemException.of(rejection));
            return;
        }
        LeasesGranted granted = asGranted(answer);
        if (!granted.leases().isEmpty() || granted.replayed() || registration == null) {
            cancelWake();
            result.complete(granted.leases());
            return;
        }
        registration.whenCompleteAsync((ignored, error) -> afterWake(registration), executor);
    }

    private void afterWake(CompletableFuture<Void> registration) {
        if (result.isDone()) {
            arrivals.release(registration); // a wake-up this poll cannot use goes to another
            return;
        }
        if (deadline.passed()) {
            // The deadline came with nothing granted: answer no leases rather than propose once more.
            arrivals.release(registration);
            result.complete(List.of());
            return;
        }
        try {
            propose();
        } catch (RuntimeException e) {
            finishExceptionally(e);
        }
    }

    private LeasesGranted asGranted(CommandResult answer) {
        if (answer instanceof LeasesGranted granted) {
            return granted;
        }
        throw new IllegalStateException("Expected LeasesGranted from the engine, but got " + answer);
    }

    private void finishExceptionally(Throwable failure) {
        cancelWake();
        result.completeExceptionally(failure);
    }

    private void cancelWake() {
        CompletableFuture<Void> current = wake;
        if (current != null) {
            // Drops the registration now rather than at its timeout; a wake-up it already got goes to another poll.
            arrivals.release(current);
        }
    }
}
