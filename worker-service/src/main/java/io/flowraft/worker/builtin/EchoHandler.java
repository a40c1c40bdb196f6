package io.flowraft.worker.builtin;

import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Built-in {@code echo}: the output is the input, unchanged. Useful to wire and test DAGs. */
@Component
public class EchoHandler implements TaskHandler<JsonNode, JsonNode> {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public JsonNode handle(JsonNode input, TaskContext context) {
        return input == null || input.isNull() ? null : input;
    }
}
