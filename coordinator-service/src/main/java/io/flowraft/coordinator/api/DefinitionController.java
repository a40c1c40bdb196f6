package io.flowraft.coordinator.api;

import io.flowraft.contracts.DefinitionView;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.api.mapping.CommandMapper;
import io.flowraft.coordinator.api.mapping.DefinitionViews;
import io.flowraft.coordinator.engine.CommandResult.DefinitionRegistered;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.StateReader;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/definitions}: register and read named, versioned, immutable DAGs. */
@RestController
@RequestMapping(path = FlowRaftHttp.API_V1 + "/definitions", produces = FlowRaftHttp.JSON)
public class DefinitionController {

    private final CommandGateway gateway;
    private final StateReader reader;
    private final ApiExecutor executor;
    private final EdgeLimits limits;

    DefinitionController(CommandGateway gateway, StateReader reader, ApiExecutor executor, EdgeLimits limits) {
        this.limits = limits;
        this.gateway = gateway;
        this.reader = reader;
        this.executor = executor;
    }

    /**
     * 201 with the registered definition and its {@code Location}, also when the same content was registered
     * under that version before (registering is idempotent); 409 {@code definition-conflict} for other content
     * under an existing version; 422 for an invalid DAG.
     */
    @PostMapping
    public CompletableFuture<ResponseEntity<DefinitionView>> register(@RequestBody RegisterDefinitionRequest request) {
        RegisterDefinition command = CommandMapper.register(request);
        limits.checkRegister(command);
        return gateway.submit(command)
                .thenApplyAsync(result -> EngineResults.expect(result, DefinitionRegistered.class), executor)
                .thenCompose(registered -> find(ReadConsistency.LINEARIZABLE, registered.name(), registered.version()))
                .thenApply(view -> ResponseEntity.created(location(view)).body(view));
    }

    /** The latest version, or {@code ?version=}; 404 {@code definition-not-found}. */
    @GetMapping("/{name}")
    public CompletableFuture<DefinitionView> get(@PathVariable String name,
            @RequestParam(required = false) Integer version,
            @RequestParam(name = FlowRaftHttp.CONSISTENCY, required = false) String consistency) {
        RequestChecks.id("name", name);
        RequestChecks.version(version);
        return find(RequestChecks.consistency(consistency), name, version);
    }

    private CompletableFuture<DefinitionView> find(ReadConsistency consistency, String name, Integer version) {
        // Definitions are immutable: the reference may leave the lock, and the view is built outside it.
        return reader.read(consistency, state -> lookup(state, name, version))
                .thenApplyAsync(definition -> {
                    if (definition == null) {
                        throw new ApiProblemException(ProblemType.DEFINITION_NOT_FOUND, "name", "No definition '"
                                + name + (version == null ? "" : "@" + version) + "' is registered");
                    }
                    return DefinitionViews.toView(definition);
                }, executor);
    }

    private static WorkflowDefinition lookup(EngineReadState state, String name, Integer version) {
        RegisteredDefinition found = version == null ? state.latestDefinition(name) : state.definition(name, version);
        return found == null ? null : found.definition();
    }

    private static URI location(DefinitionView view) {
        return URI.create(FlowRaftHttp.API_V1 + "/definitions/" + view.name() + "?version=" + view.version());
    }
}
