package io.flowraft.coordinator.api;

import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.RateLimit;
import io.flowraft.contracts.TaskTypeList;
import io.flowraft.contracts.TaskTypeView;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.CommandResult.TaskTypeConfigured;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskTypeSettings;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/task-types}: the settings of task types, which are replicated state. Today a type's only setting
 * is its dispatch rate limit ({@code PUT}, admin): a committed {@code ConfigureTaskType}, enforced by the engine
 * when it grants leases, by the leader's stamped time, so every replica holds the same token buckets.
 */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/task-types", produces = FlowRaftHttp.JSON)
public class TaskTypeController {

    private static final BigDecimal MIN_PER_SECOND = new BigDecimal("0.001");
    private static final BigDecimal MAX_PER_SECOND = BigDecimal.valueOf(1_000_000);
    private static final String RULE = "a number of leases per second from 0.001 to 1000000 with at most three decimals";

    private final CommandGateway gateway;
    private final StateReader reader;
    private final ApiExecutor executor;

    TaskTypeController(CommandGateway gateway, StateReader reader, ApiExecutor executor) {
        this.gateway = gateway;
        this.reader = reader;
        this.executor = executor;
    }

    /** Every type with settings, in type order. */
    @GetMapping
    public CompletableFuture<TaskTypeList> list() {
        return reader.read(ReadConsistency.LINEARIZABLE, state -> {
            List<TaskTypeView> types = new ArrayList<>(state.taskTypes().size());
            for (TaskTypeSettings settings : state.taskTypes().values()) {
                types.add(view(settings.type(), settings));
            }
            return new TaskTypeList(types);
        });
    }

    /** The type's settings; a type without any answers 200 with no {@code rateLimit}. */
    @GetMapping("/{type}")
    public CompletableFuture<TaskTypeView> get(@PathVariable String type) {
        RequestChecks.id("type", type);
        return reader.read(ReadConsistency.LINEARIZABLE, state -> view(type, state));
    }

    /**
     * Sets ({@code {"rateLimit": {"perSecond": 50}}}) or removes ({@code {"rateLimit": null}}) the type's rate
     * limit; 200 with the settings in force after the change.
     */
    @PutMapping("/{type}")
    public CompletableFuture<TaskTypeView> update(@PathVariable String type, @RequestBody JsonNode body) {
        RequestChecks.id("type", type);
        ConfigureTaskType command = new ConfigureTaskType(0, type, rateLimit(body));
        return gateway.commit(command).thenComposeAsync(committed -> {
            EngineResults.expect(committed.result(), TaskTypeConfigured.class);
            return reader.readAfter(committed.index(), state -> view(type, state));
        }, executor);
    }

    /** The rate limit a body asks for, or null to remove it. */
    static io.flowraft.coordinator.engine.model.RateLimit rateLimit(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(null,
                    "Expected an object {\"rateLimit\": {\"perSecond\": n}}, or {\"rateLimit\": null} to remove the limit");
        }
        JsonNode limit = body.get("rateLimit");
        if (limit == null) {
            throw ApiProblemException.invalid("rateLimit", "Expected rateLimit, an object {\"perSecond\": n} or null to "
                    + "remove the type's rate limit, but found none");
        }
        if (limit.isNull()) {
            return null;
        }
        if (!limit.isObject()) {
            throw ApiProblemException.invalid("rateLimit", "Expected rateLimit to be an object {\"perSecond\": n} or null, "
                    + "but found a " + limit.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode perSecond = limit.get("perSecond");
        if (perSecond == null || perSecond.isNull()) {
            throw badRate("none");
        }
        if (!perSecond.isNumber()) {
            throw badRate("a " + perSecond.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        BigDecimal value;
        try {
            value = perSecond.decimalValue();
        } catch (RuntimeException e) { // a double too large for the parser: infinity
            throw badRate(perSecond.toString());
        }
        if (value.compareTo(MIN_PER_SECOND) < 0 || value.compareTo(MAX_PER_SECOND) > 0
                || value.stripTrailingZeros().scale() > 3) {
            throw badRate(value.toPlainString());
        }
        return new io.flowraft.coordinator.engine.model.RateLimit(value.movePointRight(3).longValueExact());
    }

    private static ApiProblemException badRate(String found) {
        return ApiProblemException.invalid("rateLimit.perSecond", "Expected rateLimit.perSecond to be " + RULE
                + ", but found " + found);
    }

    private static TaskTypeView view(String type, EngineReadState state) {
        return view(type, state.taskType(type));
    }

    private static TaskTypeView view(String type, TaskTypeSettings settings) {
        if (settings == null) {
            return new TaskTypeView(type, null);
        }
        // plain digits, never an exponent: 50, not 5E+1
        return new TaskTypeView(type, new RateLimit(new BigDecimal(settings.rateLimit().perSecondText())));
    }
}
