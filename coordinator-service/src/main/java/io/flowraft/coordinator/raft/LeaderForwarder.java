package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import com.alipay.sofa.jraft.rpc.InvokeCallback;
import com.alipay.sofa.jraft.rpc.impl.cli.CliClientServiceImpl;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Follower side of forwarding: sends a command to the leader over the Raft RPC port and turns the answer back
 * into a result or the same failure the leader met. A lost or timed-out answer is "outcome unknown": the
 * leader may have committed the command.
 */
final class LeaderForwarder implements AutoCloseable {

    private final CliClientServiceImpl client = new CliClientServiceImpl();
    private final Executor callbacks;
    private final long timeoutMs;

    LeaderForwarder(Executor callbacks, long timeoutMs) {
        this.callbacks = callbacks;
        this.timeoutMs = timeoutMs;
        CliOptions options = new CliOptions();
        options.setTimeoutMs((int) timeoutMs);
        client.init(options);
    }

    CompletableFuture<Committed> forward(PeerId leader, Command command) {
        CompletableFuture<Committed> future = new CompletableFuture<>();
        try {
            client.getRpcClient().invokeAsync(leader.getEndpoint(), new ForwardRequest(CommandCodec.encode(command)),
                    new InvokeCallback() {
                        @Override
                        public void complete(Object response, Throwable error) {
                            if (error != null) {
                                future.completeExceptionally(new OutcomeUnknownException(
                                        "Forwarding to leader " + leader + " failed: " + error.getMessage(), Duration.ofSeconds(1)));
                            } else {
                                settle(future, (ForwardResponse) response, leader);
                            }
                        }

                        @Override
                        public Executor executor() {
                            return callbacks;
                        }
                    }, timeoutMs);
        } catch (Exception e) {
            // Could not even send: the leader did not receive it.
            future.completeExceptionally(new NoLeaderException(
                    "Leader " + leader + " is unreachable: " + e.getMessage(), leader.toString(), Duration.ofSeconds(1)));
        }
        return future;
    }

    private static void settle(CompletableFuture<Committed> future, ForwardResponse response, PeerId leader) {
        if (response.failure() == null) {
            future.complete(new Committed(ResultCodec.decode(response.result()), response.index()));
            return;
        }
        Duration retryAfter = Duration.ofMillis(Math.max(1000, response.retryAfterMs()));
        future.completeExceptionally(switch (response.failure()) {
            case ForwardResponse.NOT_LEADER -> new NoLeaderException(response.message(), leader.toString(), retryAfter);
            case ForwardResponse.OVERLOADED -> new OverloadedException(response.message(), retryAfter);
            default -> new OutcomeUnknownException(response.message(), retryAfter);
        });
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
