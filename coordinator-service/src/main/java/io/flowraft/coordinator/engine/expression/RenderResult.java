package io.flowraft.coordinator.engine.expression;

/** The outcome of rendering a task's input template: the rendered JSON, or why it could not be rendered. */
public sealed interface RenderResult {

    /** The rendered input as compact JSON text. */
    record Rendered(String json) implements RenderResult {
    }

    /** The template or one of the documents it reads is malformed; the message says which and where. */
    record Failed(String message) implements RenderResult {
    }

    /** The rendered input would be longer than {@code limit} characters; rendering stopped there. */
    record TooLarge(int limit) implements RenderResult {
    }
}
