package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Built-in {@code noop}: does nothing and completes without an output. What {@code ./flowraft bench} runs, so
 * that a benchmark measures the engine, Raft and HTTP rather than a handler.
 */
@Component
public class NoopHandler implements TaskHandler<JsonNode, Void> {

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public Void handle(JsonNode input, TaskContext context) {
        return null;
    }
}
