package io.flowraft.cli;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the user hands in (files, JSON arguments) with the contract's mapping, so a body means here what it
 * means on the server. Failures are {@link InputException}s naming the file or option, the position and, for a
 * value of the wrong type, the field as a path ({@code tasks[0].timeoutMs}).
 */
final class Inputs {

    private Inputs() {
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException("Cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + ApiCommand.describe(e));
        }
    }

    /** Reads {@code file} as a {@code type}. */
    static <T> T readFile(Path file, Class<T> type) {
        byte[] bytes = read(file);
        try {
            return FlowRaftJson.mapper().readValue(bytes, type);
        } catch (JacksonException e) {
            throw new InputException(file + " is not a valid " + type.getSimpleName() + ": " + explain(e));
        }
    }

    /** Reads {@code file} as any JSON value. */
    static JsonNode readTree(Path file) {
        byte[] bytes = read(file);
        try {
            return FlowRaftJson.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw new InputException(file + " is not valid JSON: " + explain(e));
        }
    }

    /** Parses the value of {@code option} as JSON. */
    static JsonNode parse(String option, String text) {
        try {
            return FlowRaftJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new InputException(option + " is not valid JSON: " + explain(e));
        }
    }

    static <T> T convert(Path file, JsonNode node, Class<T> type) {
        try {
            return FlowRaftJson.mapper().treeToValue(node, type);
        } catch (JacksonException e) {
            throw new InputException(file + " is not a valid " + type.getSimpleName() + ": " + explain(e));
        }
    }

    /** Jackson's own words without its source references, plus where: the field path, the line and column. */
    private static String explain(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")
                .replaceAll("\\s*\\((?:start marker )?at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "");
        List<String> where = new ArrayList<>();
        String path = path(e);
        if (!path.isEmpty()) {
            where.add("at " + path);
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where.add("line " + location.getLineNr() + ", column " + location.getColumnNr());
        }
        return where.isEmpty() ? message : message + " (" + String.join(", ", where) + ")";
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
