package io.flowraft.coordinator.api;

import io.flowraft.coordinator.api.tracing.WorkflowTracing;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.coordinator.api.mapping.LeaseViews;
import io.flowraft.coordinator.api.poll.LongPoller;
import io.flowraft.coordinator.api.poll.PollPlan;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.security.Caller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /api/v1/tasks/poll}: answers a bare JSON array of {@link Lease}s, empty when nothing became
 * ready within {@code waitMs}. The request is suspended while it waits (a {@link DeferredResult}), so a
 * thousand waiting workers hold no servlet threads. See {@code LongPoll} for how waiting works. The leases are
 * bound to the caller's principal: only it may heartbeat and report them.
 */
@RestController
public class PollController {

    private final LongPoller poller;
    private final ApiExecutor executor;
    private final ApiProperties properties;
    private final WorkflowTracing tracing;

    public PollController(LongPoller poller, ApiExecutor executor, ApiProperties properties, WorkflowTracing tracing) {
        this.tracing = tracing;
        this.poller = poller;
        this.executor = executor;
        this.properties = properties;
    }

    @PostMapping(path = FlowRaftHttp.API_V1 + "/tasks/poll", produces = FlowRaftHttp.JSON)
    public DeferredResult<List<Lease>> poll(@RequestBody PollRequest request) {
        PollPlan plan = PollPlan.of(request, Caller.current().principal());
        // The wait itself ends the poll; this timeout only catches a proposal that never answers.
        long timeoutMs = plan.waitFor().toMillis() + properties.requestTimeout().toMillis();
        DeferredResult<List<Lease>> response = new DeferredResult<>(timeoutMs);
        LongPoller.Started started = poller.start(plan);
        started.leases().whenCompleteAsync((leases, failure) -> {
            if (failure == null) {
                tracing.leased(request.workerId(), leases);
                response.setResult(LeaseViews.toView(leases));
            } else if (!(failure instanceof CancellationException)) {
                response.setErrorResult(failure);
            }
        }, executor);
        response.onTimeout(() -> {
            started.poll().cancel();
            response.setErrorResult(new OutcomeUnknownException(
                    "The poll did not finish in time; leases may have been granted: retry with the same pollId",
                    Duration.ofSeconds(1)));
        });
        // Client gone, or answered: stop waiting and re-proposing.
        response.onCompletion(() -> started.poll().cancel());
        response.onError(failure -> started.poll().cancel());
        return response;
    }
}
