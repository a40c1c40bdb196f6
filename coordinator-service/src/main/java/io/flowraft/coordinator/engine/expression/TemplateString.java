package io.flowraft.coordinator.engine.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * One JSON string of an input template, split into literal text and {@code ${path}} placeholders.
 * The syntax is documented on {@link InputTemplate}.
 *
 * @param parts literal text and placeholders, in order; adjacent literals are merged
 */
record TemplateString(List<Part> parts) {

    /** Longest task id, as in {@code Ids.ID_RULE}. */
    static final int MAX_TASK_ID_LENGTH = 64;
    /** Longest secret name. */
    static final int MAX_SECRET_NAME_LENGTH = 128;
    /** How a secret reference starts; {@link InputTemplate#neutraliseSecretReferences} defuses it in data. */
    static final String SECRET_PREFIX = "${secrets.";
    /** Longest array index, in digits. */
    private static final int MAX_INDEX_DIGITS = 9;
    /** How much of a placeholder an error message quotes. */
    private static final int MAX_QUOTED = 80;

    sealed interface Part {
    }

    record Literal(String text) implements Part {
    }

    /**
     * A placeholder.
     *
     * @param source the placeholder as written, {@code ${...}} included, for messages
     */
    record Placeholder(String source, Path path) implements Part {
    }

    /**
     * {@code ${secrets.NAME}}: a secret the worker resolves from its own environment. The engine never sees
     * its value and renders the reference as written ({@link #text()}), so no secret enters the log.
     *
     * @param name the secret's name, {@code [a-zA-Z0-9_-]{1,128}}
     */
    record SecretReference(String name) implements Part {

        /** The reference as the worker reads it. */
        String text() {
            return SECRET_PREFIX + name + "}";
        }
    }

    /** Where a placeholder reads from: the workflow input or one upstream task's output. */
    sealed interface Root {
    }

    enum WorkflowInput implements Root {
        INSTANCE
    }

    record TaskOutput(String taskId) implements Root {
    }

    sealed interface Segment {
    }

    /** {@code .name} or {@code ['name']}: an object member. */
    record Key(String name) implements Segment {
    }

    /** {@code [n]}: an array element, counted from 0. */
    record Index(int position) implements Segment {
    }

    record Path(Root root, List<Segment> segments) {
    }

    /** A malformed placeholder; the message quotes it and says what was expected. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether the string is exactly one placeholder, so its value replaces the whole JSON string. */
    boolean isSinglePlaceholder() {
        return parts.size() == 1 && parts.getFirst() instanceof Placeholder;
    }

    /** Parses a decoded JSON string value. A string without <code>${</code> parses to a single literal. */
    static TemplateString parse(String text) throws SyntaxException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                Cursor cursor = new Cursor(text, i);
                parts.add(cursor.part());
                i = cursor.position;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new TemplateString(List.copyOf(parts));
    }

    /** Reads one placeholder starting at its {@code $}. */
    private static final class Cursor {
        private final String text;
        private final int start;
        private int position;

        Cursor(String text, int start) {
            this.text = text;
            this.start = start;
            this.position = start + 2;
        }

        Part part() throws SyntaxException {
            if (peek() == '}') {
                throw error("is empty; expected a path such as 'input.orderId' or 'tasks.<taskId>.output'");
            }
            String head = name("'input', 'tasks' or 'secrets'");
            Root root;
            if (head.equals("secrets")) {
                return secret();
            } else if (head.equals("input")) {
                root = WorkflowInput.INSTANCE;
            } else if (head.equals("tasks")) {
                expect('.', "'.' and a task id after 'tasks'");
                int idStart = position;
                String taskId = name("a task id after 'tasks.'");
                if (taskId.length() > MAX_TASK_ID_LENGTH) {
                    position = idStart;
                    throw error("has a task id longer than " + MAX_TASK_ID_LENGTH + " characters");
                }
                expect('.', "'.output' after the task id (only a task's output can be referenced)");
                int fieldStart = position;
                String field = name("'output' after 'tasks." + taskId + ".'");
                if (!field.equals("output")) {
                    position = fieldStart;
                    throw error("reads '" + field + "' of task '" + taskId
                            + "'; only a task's output can be referenced, as 'tasks." + taskId + ".output'");
                }
                root = new TaskOutput(taskId);
            } else {
                position -= head.length();
                throw error("starts with '" + head + "'; expected 'input', 'tasks.<taskId>.output' or 'secrets.<name>'");
            }
            List<Segment> segments = new ArrayList<>();
            while (true) {
                int c = peek();
                if (c == '}') {
                    position++;
                    return new Placeholder(text.substring(start, position), new Path(root, List.copyOf(segments)));
                } else if (c == '.') {
                    position++;
                    segments.add(new Key(name("a member name after '.'")));
                } else if (c == '[') {
                    position++;
                    segments.add(bracket());
                } else if (c < 0) {
                    throw error("is not closed; expected '}'");
                } else {
                    throw error("has an unexpected " + describe(c) + "; expected '.', '[' or '}'");
                }
            }
        }

        /** After {@code ${secrets}: {@code .NAME}} and nothing else (a secret is text, it has no members). */
        private SecretReference secret() throws SyntaxException {
            expect('.', "'.' and a secret name after 'secrets'");
            int nameStart = position;
            String name = name("a secret name after 'secrets.'");
            if (name.length() > MAX_SECRET_NAME_LENGTH) {
                position = nameStart;
                throw error("has a secret name longer than " + MAX_SECRET_NAME_LENGTH + " characters");
            }
            expect('}', "'}' after the secret name (a secret has no members)");
            return new SecretReference(name);
        }

        /** After '[': {@code n]} or {@code 'name']}. */
        private Segment bracket() throws SyntaxException {
            int c = peek();
            if (c == '\'') {
                position++;
                StringBuilder name = new StringBuilder();
                while (true) {
                    int d = peek();
                    if (d < 0) {
                        throw error("has an unterminated quoted name; expected a closing \"'\"");
                    }
                    position++;
                    if (d == '\'') {
                        break;
                    }
                    if (d == '\\') {
                        int escaped = peek();
                        if (escaped != '\'' && escaped != '\\') {
                            throw error("has an invalid escape in a quoted name; only \\' and \\\\ are allowed");
                        }
                        position++;
                        name.append((char) escaped);
                    } else {
                        name.append((char) d);
                    }
                }
                expect(']', "']' after the quoted name");
                return new Key(name.toString());
            }
            int digitsStart = position;
            while (peek() >= '0' && peek() <= '9') {
                position++;
            }
            String digits = text.substring(digitsStart, position);
            if (digits.isEmpty()) {
                throw error("has " + describe(c) + " after '['; expected an array index or a quoted name");
            }
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                position = digitsStart;
                throw error("has an array index with a leading zero");
            }
            if (digits.length() > MAX_INDEX_DIGITS) {
                position = digitsStart;
                throw error("has an array index longer than " + MAX_INDEX_DIGITS + " digits");
            }
            expect(']', "']' after the array index");
            return new Index(Integer.parseInt(digits));
        }

        /** Reads {@code [a-zA-Z0-9_-]+}. */
        private String name(String expected) throws SyntaxException {
            int from = position;
            while (position < text.length() && isNameChar(text.charAt(position))) {
                position++;
            }
            if (position == from) {
                int c = peek();
                throw error(c < 0 || c == '}' ? "ends early; expected " + expected
                        : "has an unexpected " + describe(c) + "; expected " + expected);
            }
            return text.substring(from, position);
        }

        private void expect(char c, String expected) throws SyntaxException {
            if (peek() != c) {
                int found = peek();
                throw error(found < 0 || found == '}' ? "ends early; expected " + expected
                        : "has an unexpected " + describe(found) + "; expected " + expected);
            }
            position++;
        }

        private int peek() {
            return position < text.length() ? text.charAt(position) : -1;
        }

        private SyntaxException error(String problem) {
            int close = text.indexOf('}', start);
            int end = close < 0 ? text.length() : close + 1;
            String quoted = text.substring(start, end);
            if (quoted.length() > MAX_QUOTED) {
                quoted = quoted.substring(0, MAX_QUOTED) + "...";
            }
            return new SyntaxException("placeholder '" + quoted + "' " + problem
                    + " (at character " + (position - start) + " of the placeholder)");
        }

        private static String describe(int c) {
            return c < 0 ? "end of text" : c == ' ' ? "space" : "character '" + (char) c + "'";
        }
    }

    static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
