package io.flowraft.coordinator.api.poll;

import io.flowraft.coordinator.api.ApiExecutor;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.TaskArrivals;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/** Starts {@link LongPoll}s. */
@Component
public class LongPoller {

    private final CommandGateway gateway;
    private final IdlePolls idle;
    private final TaskArrivals arrivals;
    private final ApiExecutor executor;

    public LongPoller(CommandGateway gateway, IdlePolls idle, TaskArrivals arrivals, ApiExecutor executor) {
        this.gateway = gateway;
        this.idle = idle;
        this.arrivals = arrivals;
        this.executor = executor;
    }

    /** @return the running poll, whose {@link LongPoll#cancel()} stops it, and its outcome */
    public Started start(PollPlan plan) {
        LongPoll poll = new LongPoll(gateway, idle, arrivals, executor, plan);
        return new Started(poll, poll.start());
    }

    /** A running poll and its outcome: the granted leases, possibly none, or the failure. */
    public record Started(LongPoll poll, CompletableFuture<List<GrantedLease>> leases) {
    }
}
