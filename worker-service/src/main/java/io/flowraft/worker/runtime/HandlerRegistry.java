package io.flowraft.worker.runtime;

import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.config.WorkerProperties.TypeSettings;
import io.flowraft.worker.spi.TaskHandler;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every enabled handler by task type, with its input type and settings. Built once at startup; two handlers
 * for one type, or a malformed type, fail the start with a message naming both beans.
 */
public final class HandlerRegistry {

    private static final Pattern TYPE = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** One handler, ready to be called. */
    public record Registered(String type, TaskHandler<Object, Object> handler, JavaType inputType, TypeSettings settings) {
    }

    private final Map<String, Registered> byType;

    @SuppressWarnings("unchecked")
    public HandlerRegistry(Collection<? extends TaskHandler<?, ?>> handlers, WorkerProperties properties, JsonMapper mapper) {
        Map<String, Registered> found = new TreeMap<>();
        Map<String, Object> owners = new LinkedHashMap<>();
        for (TaskHandler<?, ?> handler : handlers) {
            String type = handler.type();
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new IllegalStateException("Handler " + handler.getClass().getName() + " has task type '" + type
                        + "'; a task type must match " + TYPE.pattern());
            }
            Object previous = owners.putIfAbsent(type, handler);
            if (previous != null) {
                throw new IllegalStateException("Two handlers for task type '" + type + "': " + previous.getClass().getName()
                        + " and " + handler.getClass().getName() + "; disable one with flowraft.worker.types." + type
                        + ".enabled=false or remove a bean");
            }
            TypeSettings settings = properties.settingsFor(type);
            if (!settings.enabled()) {
                continue;
            }
            found.put(type, new Registered(type, (TaskHandler<Object, Object>) handler, inputType(handler, mapper), settings));
        }
        this.byType = Map.copyOf(found);
    }

    /** The input type {@code I} of a {@code TaskHandler<I, O>}; {@code JsonNode} when it cannot be resolved (a lambda). */
    static JavaType inputType(TaskHandler<?, ?> handler, JsonMapper mapper) {
        ResolvableType input = ResolvableType.forClass(AopUtils.getTargetClass(handler)).as(TaskHandler.class).getGeneric(0);
        if (input.resolve() == null || input.resolve() == Object.class) {
            return mapper.constructType(JsonNode.class);
        }
        return mapper.constructType(input.getType());
    }

    public Registered get(String type) {
        return byType.get(type);
    }

    /** The enabled types, sorted. */
    public List<String> types() {
        return byType.keySet().stream().sorted().toList();
    }

    public Collection<Registered> all() {
        return byType.values();
    }
}
