package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input catalogue (research/reliability-plan.md, section c) against the real HTTP stack: every bad
 * input is answered with the right status as {@code application/problem+json}, never a stack trace or 500.
 * DAG and lease cases are in {@link DefinitionApiTest}, {@link WorkflowApiTest} and {@link LeaseApiTest}.
 */
class BadInputTest extends ApiTestSupport {

    @Test
    void shouldRejectMalformedJson() {
        JsonNode problem = assertProblem(http.post(WORKFLOWS, "{\"definition\": "), 400, ProblemType.MALFORMED_JSON, null);
        assertThat(problem.get("detail").asString()).contains("line 1");
        assertProblem(http.post(WORKFLOWS, "not json"), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(http.post(WORKFLOWS, "{\"definition\": \"a\"} trailing"), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(http.post(WORKFLOWS, "{\"input\": NaN}"), 400, ProblemType.MALFORMED_JSON, null);
    }

    @Test
    void shouldRejectDuplicateJsonKeysOverHttp() {
        // Proves Spring MVC reads bodies with FlowRaftJson's settings: a default mapper keeps the last value.
        JsonNode problem = assertProblem(http.post(WORKFLOWS,
                "{\"definition\": \"orders\", \"definition\": \"other\"}"), 400, ProblemType.MALFORMED_JSON, null);
        assertThat(problem.get("detail").asString()).contains("Duplicate").contains("definition");
    }

    @Test
    void shouldRejectDeepNesting() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        JsonNode problem = assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}], \"input\": "
                + deep + "}"), 400, ProblemType.MALFORMED_JSON, null);
        assertThat(problem.get("detail").asString()).contains("nesting depth").doesNotContain("StreamReadConstraints");
    }

    @Test
    void shouldRejectStringLongerThanTheLimit() {
        String huge = "x".repeat(1024 * 1024 + 10);
        JsonNode problem = assertProblem(http.post(WORKFLOWS, "{\"definition\": \"" + huge + "\"}"), 400,
                ProblemType.MALFORMED_JSON, null);
        assertThat(problem.get("detail").asString()).contains("String value length");
        assertThat(problem.toString().length()).as("the answer does not echo the input").isLessThan(1_000);
    }

    @Test
    void shouldRejectPayloadWhoseDeclaredLengthIsOverTheLimit() throws IOException {
        // A raw request: the body is announced but never sent, so only the header can have triggered the 413.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/workflows HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 20000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket);

            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response).contains(ProblemType.PAYLOAD_TOO_LARGE.uri().toString());
        }
    }

    @Test
    void shouldRejectChunkedPayloadOverTheLimitWhileStreaming() {
        // No Content-Length: the limit is enforced by counting the body as it is read.
        byte[] body = ("{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}], \"input\": {\"blob\": \""
                + "y".repeat(900_000) + "\", \"more\": [" + "\"z\",".repeat(1_100_000) + "\"z\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(4 * 1024 * 1024);
        HttpRequest request = http.request(WORKFLOWS)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> streamOf(body)))
                .build();

        assertProblem(http.send(request), 413, ProblemType.PAYLOAD_TOO_LARGE, null);
    }

    @Test
    void shouldRejectUnsupportedContentType() {
        HttpRequest request = http.request(WORKFLOWS)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"definition\": \"orders\"}"))
                .build();

        ApiHttp.Response response = http.send(request);

        assertProblem(response, 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        assertThat(response.header("Accept")).contains("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "application/json; charset=no-such-charset"})
    void shouldRejectAContentTypeThatIsNoMediaType(String contentType) {
        HttpRequest request = http.request(WORKFLOWS)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("{\"definition\": \"orders\"}"))
                .build();

        JsonNode problem = assertProblem(http.send(request), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, null);

        assertThat(problem.get("detail").asString())
                .isEqualTo("The Content-Type header is not a valid media type; send application/json");
    }

    @Test
    void shouldRejectUnsupportedAccept() {
        ApiHttp.Response response = http.get(WORKFLOWS, "Accept", "application/xml");

        assertBlankProblem(response, 406);
    }

    @Test
    void shouldRejectUnsupportedMethod() {
        HttpRequest request = http.request(WORKFLOWS).PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").build();

        ApiHttp.Response response = http.send(request);

        assertBlankProblem(response, 405);
        assertThat(response.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void shouldAnswerUnknownPathWithProblem() {
        assertBlankProblem(http.get("/api/v1/nothing-here"), 404);
        assertBlankProblem(http.post("/api/v1/nothing-here", "{}"), 404);
        assertBlankProblem(http.get("/"), 404);
    }

    @Test
    void shouldRejectMissingBody() {
        assertProblem(http.post(WORKFLOWS, null), 400, ProblemType.INVALID_REQUEST, null);
        assertProblem(http.post(POLL, ""), 400, ProblemType.INVALID_REQUEST, null);
    }

    @Test
    void shouldNameTheFieldOfAValueOfTheWrongType() {
        JsonNode problem = assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\", \"dependsOn\": \"b\"}]}"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].dependsOn");
        assertThat(problem.get("detail").asString()).contains("an array");
        assertProblem(http.post(WORKFLOWS, "[1, 2]"), 400, ProblemType.INVALID_REQUEST, null);
        assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\", \"timeoutMs\": \"soon\"}]}"),
                400, ProblemType.INVALID_REQUEST, "tasks[0].timeoutMs");
    }

    @Test
    void shouldRejectControlCharactersAndOversizedIdsInBodies() {
        assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\\u0000\"}]}"), 422,
                ProblemType.INVALID_DAG, "tasks[0].type");
        assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"" + "i".repeat(10_000) + "\", \"type\": \"t\"}]}"),
                422, ProblemType.INVALID_DAG, "tasks[0].id");
        assertProblem(http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}]}", "Idempotency-Key",
                "k".repeat(200)), 400, ProblemType.INVALID_REQUEST, "idempotencyKey");
    }

    @Test
    void shouldKeepJsonValuesAsSent() {
        ApiHttp.Response response = http.post(WORKFLOWS, "{\"tasks\": [{\"id\": \"a\", \"type\": \"t\"}], "
                + "\"input\": {\"n\": null, \"big\": 12345678901234567890, \"pi\": 3.25, \"s\": \"\\u00e9\"}}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode input = response.json().get("input");
        assertThat(input.has("n")).as("a JSON null inside an input is data, not an absent field").isTrue();
        assertThat(input.get("big").asString()).isEqualTo("12345678901234567890");
        assertThat(input.get("pi").asDouble()).isEqualTo(3.25);
        assertThat(input.get("s").asString()).isEqualTo("é");
    }

    /** Reads until the end of the problem body; the server keeps the connection open for the announced body. */
    private static String readResponse(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!(response.indexOf("\r\n\r\n") > 0 && response.toString().stripTrailing().endsWith("}"))) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return response.toString();
    }

    private static InputStream streamOf(byte[] body) {
        return new ByteArrayInputStream(body);
    }
}
