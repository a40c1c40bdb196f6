package io.flowraft.coordinator.engine.expression;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON documents of the state (a workflow input, task outputs), each parsed at most once for all the conditions
 * and templates one command evaluates. A command that resolves many tasks of a workflow (its roots at submit, a
 * fan-out after a completion) would otherwise parse the same documents once per task, and for large documents
 * that is most of the command's cost: with the cache a command parses at most what the workflow holds, once.
 * Keyed by identity, since the state holds each document as one string; both parsed forms are immutable, so
 * sharing them cannot leak one evaluation into another. Not thread-safe; lives for one command.
 */
public final class ParsedJson {

    private final Map<String, Object> cel = new IdentityHashMap<>();
    private final Map<String, Object> trees = new IdentityHashMap<>();

    /**
     * The document as CEL values (see {@link JsonText#toCel}).
     *
     * @throws JsonText.MalformedJsonException if it is not one JSON value
     */
    Object cel(String json) {
        return json == null ? JsonText.toCel(null) : parsed(cel, json, JsonText::toCel);
    }

    /**
     * The document as a tree for templates; null reads as JSON null.
     *
     * @throws JsonText.MalformedJsonException if it is not one JSON value
     */
    Json tree(String json) {
        return json == null ? Json.Null.INSTANCE : (Json) parsed(trees, json, JsonText::toTree);
    }

    /** Parses once; a malformed document is remembered as such and refused again without parsing. */
    private static Object parsed(Map<String, Object> cache, String json, Function<String, ?> parse) {
        Object parsed = cache.get(json);
        if (parsed == null) {
            try {
                parsed = parse.apply(json);
            } catch (JsonText.MalformedJsonException e) {
                parsed = e;
            }
            cache.put(json, parsed);
        }
        if (parsed instanceof JsonText.MalformedJsonException e) {
            throw e;
        }
        return parsed;
    }
}
