package io.flowraft.coordinator.api;

import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.CommandResult.LimitsSet;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/cluster/engine-settings} (admin): the engine limits, which are replicated state. A change is a
 * committed {@code ConfigureEngine}: every replica applies the new limits from the same log entry on, and what
 * the state holds already stays (lowering {@code maxPayloadBytes} does not touch outputs kept before).
 * A {@code PUT} reads the current limits and changes the fields it names; two admins changing different fields
 * at the same moment may overwrite each other's change, as with any read-modify-write.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/cluster/engine-settings", produces = FlowRaftHttp.JSON)
public class EngineSettingsController {

    private final CommandGateway gateway;
    private final StateReader reader;
    private final ApiExecutor executor;

    EngineSettingsController(CommandGateway gateway, StateReader reader, ApiExecutor executor) {
        this.gateway = gateway;
        this.reader = reader;
        this.executor = executor;
    }

    @GetMapping
    public CompletableFuture<EngineSettings> get() {
        return reader.read(ReadConsistency.LINEARIZABLE, EngineSettingsController::view);
    }

    /** 200 with the limits in force after the change; 400 naming the field for a value out of range. */
    @PutMapping
    public CompletableFuture<EngineSettings> update(@RequestBody EngineSettings request) {
        String readOnly = request.stateBytes() != null ? "stateBytes" : request.configured() != null ? "configured"
                : request.clusterId() != null ? "clusterId" : request.exportedThrough() != null ? "exportedThrough" : null;
        if (readOnly != null) {
            throw ApiProblemException.invalid(readOnly,
                    "Expected only limits and retention; '" + readOnly + "' is read-only");
        }
        checkRetention("finishedRetentionMs", request.finishedRetentionMs());
        checkRetention("idempotencyKeyRetentionMs", request.idempotencyKeyRetentionMs());
        return reader.read(ReadConsistency.LINEARIZABLE, state -> new Current(state.limits(), state.retention()))
                .thenComposeAsync(current -> gateway.commit(new ConfigureEngine(0, merged(current.limits(), request),
                        merged(current.retention(), request), null, false)), executor)
                .thenComposeAsync(committed -> {
                    EngineResults.expect(committed.result(), LimitsSet.class);
                    return reader.readAfter(committed.index(), EngineSettingsController::view);
                }, executor);
    }

    private record Current(EngineLimits limits, Retention retention) {
    }

    private static EngineSettings view(EngineReadState state) {
        EngineLimits l = state.limits();
        Retention r = state.retention();
        return new EngineSettings(l.maxTasks(), l.maxPayloadBytes(), l.maxDependencies(), l.maxErrorBytes(),
                l.maxTaskTypesPerPoll(), l.maxLeasesPerPoll(), l.maxWorkflowBytes(), l.maxStateBytes(),
                state.heldBytes(), state.limitsConfigured(), r.finishedAfterMs(), r.idempotencyKeysMs(),
                state.clusterId(), state.exportedThrough());
    }

    private static void checkRetention(String field, Long value) {
        if (value != null && (value < 0 || value > Retention.MAX_MS)) {
            throw ApiProblemException.invalid(field, "Expected " + field + " between 0 and " + Retention.MAX_MS
                    + " (a year), but found " + value);
        }
    }

    /** The retention with the fields the request names changed, or null when it names none. */
    private static Retention merged(Retention current, EngineSettings change) {
        if (change.finishedRetentionMs() == null && change.idempotencyKeyRetentionMs() == null) {
            return null;
        }
        return new Retention(
                change.finishedRetentionMs() != null ? change.finishedRetentionMs() : current.finishedAfterMs(),
                change.idempotencyKeyRetentionMs() != null ? change.idempotencyKeyRetentionMs()
                        : current.idempotencyKeysMs());
    }

    private static EngineLimits merged(EngineLimits current, EngineSettings change) {
        return new EngineLimits(
                positive("maxTasks", change.maxTasks(), current.maxTasks()),
                positive("maxPayloadBytes", change.maxPayloadBytes(), current.maxPayloadBytes()),
                positive("maxDependencies", change.maxDependencies(), current.maxDependencies()),
                positive("maxErrorBytes", change.maxErrorBytes(), current.maxErrorBytes()),
                positive("maxTaskTypesPerPoll", change.maxTaskTypesPerPoll(), current.maxTaskTypesPerPoll()),
                positive("maxLeasesPerPoll", change.maxLeasesPerPoll(), current.maxLeasesPerPoll()),
                positive("maxWorkflowBytes", change.maxWorkflowBytes(), current.maxWorkflowBytes()),
                positive("maxStateBytes", change.maxStateBytes(), current.maxStateBytes()));
    }

    private static int positive(String field, Integer value, int current) {
        return (int) positive(field, value == null ? null : value.longValue(), current);
    }

    /** The lower bounds here; the engine judges the upper ones and how limits relate. */
    private static long positive(String field, Long value, long current) {
        if (value == null) {
            return current;
        }
        long minimum = field.equals("maxErrorBytes") ? 16 : field.equals("maxPayloadBytes") ? 2 : 1;
        if (value < minimum) {
            throw ApiProblemException.invalid(field, "Expected " + field + " of at least " + minimum + ", but found "
                    + value);
        }
        return value;
    }
}
