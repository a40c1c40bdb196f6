package io.flowraft.coordinator.engine.expression;

import io.flowraft.coordinator.engine.expression.TemplateString.Index;
import io.flowraft.coordinator.engine.expression.TemplateString.Key;
import io.flowraft.coordinator.engine.expression.TemplateString.Literal;
import io.flowraft.coordinator.engine.expression.TemplateString.Part;
import io.flowraft.coordinator.engine.expression.TemplateString.Path;
import io.flowraft.coordinator.engine.expression.TemplateString.Placeholder;
import io.flowraft.coordinator.engine.expression.TemplateString.SecretReference;
import io.flowraft.coordinator.engine.expression.TemplateString.Segment;
import io.flowraft.coordinator.engine.expression.TemplateString.TaskOutput;
import io.flowraft.coordinator.engine.expression.TemplateString.WorkflowInput;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;

/**
 * Task input templates: a task's {@code input} is a JSON value whose strings may pull in the workflow input
 * and the outputs of upstream tasks.
 *
 * <h2>Syntax</h2>
 * A placeholder {@code ${path}} may appear in any JSON <em>string value</em> of the template (object keys are
 * never templated). The path is one of
 * <ul>
 *   <li>{@code input}: the whole workflow input;</li>
 *   <li>{@code tasks.<taskId>.output}: the whole output of an upstream task, where {@code <taskId>} matches
 *       {@code [a-zA-Z0-9_-]{1,64}} and names one of the task's direct or indirect dependencies;</li>
 * </ul>
 * followed by any number of steps:
 * <ul>
 *   <li>{@code .name}: the member {@code name} of an object, where {@code name} matches
 *       {@code [a-zA-Z0-9_-]+};</li>
 *   <li>{@code ['any name']}: a member whose name has other characters; inside the quotes write {@code \'}
 *       for {@code '} and {@code \\} for {@code \};</li>
 *   <li>{@code [n]}: element {@code n} of an array, counted from 0 ({@code n} has no sign and no leading
 *       zero).</li>
 * </ul>
 * No spaces are allowed inside {@code ${...}}. Examples: {@code ${input.customer.id}},
 * {@code ${input.items[0].sku}}, {@code ${tasks.fetch-user.output.addresses[1]['postal code']}}.
 *
 * <h2>Secrets</h2>
 * {@code ${secrets.NAME}}, where {@code NAME} matches {@code [a-zA-Z0-9_-]{1,128}}, references a secret that only
 * workers know. The engine never resolves it: the rendered input keeps the reference as written, whole or inside
 * a longer string, and the worker replaces it just before running the handler (docs/WORKERS.md), so no secret
 * value enters the log, snapshots or history. It takes no steps ({@code ${secrets.a.b}} is malformed).
 *
 * <p>Only a template can reference a secret. Text that comes from data (the workflow input, upstream outputs,
 * or a template literal written as <code>$${secrets.</code>) could otherwise smuggle in a reference that a worker
 * would resolve, for instance an HTTP answer that says <code>${secrets.API_TOKEN}</code> flowing into the URL of
 * a later call. So wherever such text reaches the rendered input, every <code>${secrets.</code> in it is written
 * <code>$${secrets.</code>, which the worker reads back as the literal text <code>${secrets.</code>.
 *
 * <h2>Substitution</h2>
 * <ul>
 *   <li>A string that is exactly one placeholder, such as {@code "${input.amount}"}, is replaced by the
 *       referenced JSON value with its type: a number stays a number (with its text unchanged), an object
 *       stays an object.</li>
 *   <li>Placeholders inside a longer string, such as {@code "order ${input.id} for ${input.customer}"}, are
 *       replaced by text: a string as its characters, anything else as compact JSON ({@code 42},
 *       {@code true}, {@code null}, {@code {"a":1}}).</li>
 *   <li><code>$${</code> stands for a literal <code>${</code> and starts no placeholder: {@code "$${input}"} renders
 *       as {@code "${input}"}. Any other {@code $} is literal. (A literal {@code $} immediately before a
 *       placeholder cannot be written.)</li>
 *   <li>A path that leads nowhere (a missing member, an index past the end, a step into a value that is
 *       not an object or array, the output of an upstream task that has none, such as a skipped task)
 *       yields JSON {@code null}: {@code "${input.missing}"} renders as {@code null}, and inside a longer
 *       string as the text {@code null}.</li>
 * </ul>
 * The rendered input is compact JSON; member order is kept. A template without <code>${</code> is returned as is,
 * not even re-formatted.
 *
 * <h2>Checks</h2>
 * {@link #validate} reports malformed placeholders and references to tasks that are not dependencies, when
 * a definition is registered. {@link #render} needs no prior validation: it fails with the same messages.
 * Rendering is a pure function of its arguments and never throws for malformed input; a rendered input
 * larger than {@value #MAX_RENDERED_LENGTH} characters is refused.
 */
public final class InputTemplate {

    /** Largest rendered input, in UTF-16 chars: a few placeholders can copy a large input many times. */
    public static final int MAX_RENDERED_LENGTH = 16 * 1024 * 1024;

    private InputTemplate() {
    }

    /**
     * Whether a template may contain placeholders, judged from its text without parsing it. A template for
     * which this is false renders to itself. Besides <code>${</code> it looks for the JSON escapes that decode
     * to {@code $} or to <code>{</code> after a {@code $}.
     */
    public static boolean mayContainPlaceholders(String templateJson) {
        return templateJson != null
                && (templateJson.contains("${")
                || templateJson.contains("\\u0024")
                || templateJson.contains("$\\u007b")
                || templateJson.contains("$\\u007B"));
    }

    /**
     * Checks a template when a definition is registered.
     *
     * @param templateJson     the template as JSON text
     * @param upstreamTaskIds  the ids of the task's direct and indirect dependencies
     * @return one message per problem, each naming the JSON location ({@code $.customer.id}) and the
     *         placeholder; a single message if the template is not valid JSON; empty if the template is valid
     */
    public static List<String> validate(String templateJson, Set<String> upstreamTaskIds) {
        if (templateJson == null) {
            return List.of("the input template is missing (null)");
        }
        Set<String> upstream = upstreamTaskIds == null ? Set.of() : upstreamTaskIds;
        List<String> problems = new ArrayList<>();
        try (JsonParser parser = JsonText.parser(templateJson)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return List.of("the input template is not valid JSON: no JSON value (empty text)");
            }
            while (token != null) {
                if (token == JsonToken.VALUE_STRING) {
                    String value = parser.getString();
                    if (value.contains("${")) {
                        check(value, location(parser), upstream, problems);
                    }
                }
                if (parser.streamReadContext().inRoot()) {
                    JsonText.expectEnd(parser);
                    break;
                }
                token = parser.nextToken();
            }
        } catch (JacksonException e) {
            return List.of("the input template is not valid JSON: " + JsonText.describe(e));
        } catch (JsonText.MalformedJsonException e) {
            return List.of("the input template is not valid JSON: " + e.getMessage());
        }
        return List.copyOf(problems);
    }

    private static void check(String value, String location, Set<String> upstream, List<String> problems) {
        TemplateString template;
        try {
            template = TemplateString.parse(value);
        } catch (TemplateString.SyntaxException e) {
            problems.add(location + ": " + e.getMessage());
            return;
        }
        for (Part part : template.parts()) {
            if (part instanceof Placeholder placeholder
                    && placeholder.path().root() instanceof TaskOutput(String taskId)
                    && !upstream.contains(taskId)) {
                problems.add(location + ": placeholder '" + placeholder.source() + "' references task '" + taskId
                        + "', which is not a dependency of this task"
                        + (upstream.isEmpty() ? " (it has none)" : " (its dependencies: "
                        + String.join(", ", new TreeSet<>(upstream)) + ")"));
            }
        }
    }

    /**
     * Renders a template.
     *
     * @param templateJson        the template as JSON text
     * @param workflowInputJson   the workflow input as JSON text, read by {@code ${input...}}; null reads as
     *                            JSON null
     * @param upstreamOutputsJson upstream task outputs as JSON text by task id, read by
     *                            {@code ${tasks.<id>.output...}}; an absent id or a null output reads as null
     * @return the rendered input as compact JSON (the template itself when it has no placeholder), or why
     *         it could not be rendered
     */
    public static RenderResult render(String templateJson, String workflowInputJson,
            SortedMap<String, String> upstreamOutputsJson) {
        return render(templateJson, workflowInputJson, upstreamOutputsJson, MAX_RENDERED_LENGTH);
    }

    /**
     * Renders a template into at most {@code maxLength} characters: rendering stops as soon as the output
     * passes the bound, so the work and memory spent on a template that copies a large document many times is
     * bounded by the caller's limit, not by the size it would have reached.
     *
     * @param maxLength the longest rendered input accepted, in UTF-16 chars (at most {@value #MAX_RENDERED_LENGTH})
     * @return {@link RenderResult.TooLarge} when the rendered input would be longer
     */
    public static RenderResult render(String templateJson, String workflowInputJson,
            SortedMap<String, String> upstreamOutputsJson, int maxLength) {
        return render(templateJson, workflowInputJson, upstreamOutputsJson, maxLength, new ParsedJson());
    }

    /**
     * As {@link #render(String, String, SortedMap, int)}, parsing the documents it reads through {@code parsed},
     * which a caller rendering many templates of one workflow shares between them.
     */
    public static RenderResult render(String templateJson, String workflowInputJson,
            SortedMap<String, String> upstreamOutputsJson, int maxLength, ParsedJson parsed) {
        int limit = Math.max(0, Math.min(maxLength, MAX_RENDERED_LENGTH));
        if (templateJson == null) {
            return new RenderResult.Failed("the input template is missing (null)");
        }
        if (!mayContainPlaceholders(templateJson)) {
            return templateJson.length() > limit ? new RenderResult.TooLarge(limit)
                    : new RenderResult.Rendered(templateJson);
        }
        Sources sources = new Sources(workflowInputJson, upstreamOutputsJson, parsed);
        BoundedWriter out = new BoundedWriter(limit);
        try (JsonParser parser = JsonText.parser(templateJson); JsonGenerator generator = JsonText.generator(out)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new RenderResult.Failed("the input template is not valid JSON: no JSON value (empty text)");
            }
            while (token != null) {
                switch (token) {
                    case START_OBJECT -> generator.writeStartObject();
                    case END_OBJECT -> generator.writeEndObject();
                    case START_ARRAY -> generator.writeStartArray();
                    case END_ARRAY -> generator.writeEndArray();
                    case PROPERTY_NAME -> generator.writeName(parser.currentName());
                    case VALUE_STRING -> renderString(parser, generator, sources, limit);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getString());
                    case VALUE_TRUE -> generator.writeBoolean(true);
                    case VALUE_FALSE -> generator.writeBoolean(false);
                    case VALUE_NULL -> generator.writeNull();
                    default -> throw new JsonText.MalformedJsonException("unexpected token " + token);
                }
                if (parser.streamReadContext().inRoot()) {
                    JsonText.expectEnd(parser);
                    break;
                }
                token = parser.nextToken();
            }
            generator.flush();
        } catch (TooLargeException e) {
            return new RenderResult.TooLarge(limit);
        } catch (RenderException e) {
            return new RenderResult.Failed(e.getMessage());
        } catch (JsonText.MalformedJsonException e) {
            return new RenderResult.Failed("the input template is not valid JSON: " + e.getMessage());
        } catch (JacksonException e) {
            if (e.getCause() instanceof TooLargeException) {
                return new RenderResult.TooLarge(limit);
            }
            if (e.getCause() instanceof RenderException cause) {
                return new RenderResult.Failed(cause.getMessage());
            }
            return new RenderResult.Failed("the input template is not valid JSON: " + JsonText.describe(e));
        }
        return new RenderResult.Rendered(out.toString());
    }

    private static void renderString(JsonParser parser, JsonGenerator generator, Sources sources, int limit) {
        String value = parser.getString();
        if (!value.contains("${")) {
            generator.writeString(value);
            return;
        }
        TemplateString template;
        try {
            template = TemplateString.parse(value);
        } catch (TemplateString.SyntaxException e) {
            throw new RenderException(location(parser) + ": " + e.getMessage());
        }
        if (template.isSinglePlaceholder()) {
            JsonText.write(sources.resolve(((Placeholder) template.parts().getFirst()).path()), generator,
                    InputTemplate::neutraliseSecretReferences);
            return;
        }
        StringBuilder text = new StringBuilder(value.length() + 32);
        for (Part part : template.parts()) {
            switch (part) {
                case Literal literal -> text.append(neutraliseSecretReferences(literal.text()));
                case Placeholder placeholder -> {
                    Json resolved = sources.resolve(placeholder.path());
                    text.append(neutraliseSecretReferences(
                            resolved instanceof Json.Str str ? str.value() : JsonText.toText(resolved)));
                }
                case SecretReference secret -> text.append(secret.text());
            }
            if (text.length() > limit) {
                throw new TooLargeException();
            }
        }
        generator.writeString(text.toString());
    }

    /**
     * Text from data, made unable to reference a secret: every <code>${secrets.</code> becomes
     * <code>$${secrets.</code>, which workers read as the literal text. Returns {@code text} itself when it holds
     * none (the usual case, so rendering without secrets is unchanged).
     */
    static String neutraliseSecretReferences(String text) {
        return text.contains(TemplateString.SECRET_PREFIX)
                ? text.replace(TemplateString.SECRET_PREFIX, "$" + TemplateString.SECRET_PREFIX) : text;
    }

    /** The JSON location of the parser's current value, such as {@code $.items[2].sku}. */
    private static String location(JsonParser parser) {
        List<String> steps = new ArrayList<>();
        for (TokenStreamContext context = parser.streamReadContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inArray()) {
                steps.add("[" + context.getCurrentIndex() + "]");
            } else {
                String name = context.currentName();
                steps.add(isPlainName(name) ? "." + name
                        : "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']");
            }
        }
        StringBuilder location = new StringBuilder("$");
        for (int i = steps.size() - 1; i >= 0; i--) {
            location.append(steps.get(i));
        }
        return location.toString();
    }

    private static boolean isPlainName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!TemplateString.isNameChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The documents placeholders read, each parsed on first use. */
    private static final class Sources {
        private final String inputJson;
        private final SortedMap<String, String> outputsJson;
        private final ParsedJson parsed;

        Sources(String inputJson, SortedMap<String, String> outputsJson, ParsedJson parsed) {
            this.inputJson = inputJson;
            this.outputsJson = outputsJson;
            this.parsed = parsed;
        }

        Json resolve(Path path) {
            Json current = switch (path.root()) {
                case WorkflowInput ignored -> input();
                case TaskOutput(String taskId) -> output(taskId);
            };
            for (Segment segment : path.segments()) {
                current = switch (segment) {
                    case Key(String name) -> current instanceof Json.Obj obj
                            ? obj.members().getOrDefault(name, Json.Null.INSTANCE) : Json.Null.INSTANCE;
                    case Index(int position) -> current instanceof Json.Arr arr && position < arr.elements().size()
                            ? arr.elements().get(position) : Json.Null.INSTANCE;
                };
            }
            return current;
        }

        private Json input() {
            return parse(inputJson, "the workflow input");
        }

        private Json output(String taskId) {
            return parse(outputsJson == null ? null : outputsJson.get(taskId), "the output of task '" + taskId + "'");
        }

        private Json parse(String json, String what) {
            try {
                return parsed.tree(json);
            } catch (JsonText.MalformedJsonException e) {
                throw new RenderException(what + " is not valid JSON: " + e.getMessage());
            }
        }
    }

    /** Stops a rendering; its message is the failure reported to the caller. */
    private static final class RenderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RenderException(String message) {
            super(message, null, false, false);
        }

    }

    /** Stops a rendering whose output passed its bound. */
    private static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super(null, null, false, false);
        }
    }

    /** Collects the rendered text and stops the rendering once it is too large. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        BoundedWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            if (text.length() + (long) length > limit) {
                throw new TooLargeException();
            }
            text.append(buffer, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            if (text.length() + (long) length > limit) {
                throw new TooLargeException();
            }
            text.append(string, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
