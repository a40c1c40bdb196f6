package io.flowraft.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.Problem;
import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.ReportBatchRequest;
import io.flowraft.contracts.ReportBatchResponse;
import io.flowraft.contracts.ReportResponse;
import io.flowraft.contracts.TaskReport;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the worker does with each report of a batch when the coordinators answer it per report or lose the
 * request: the coordinators here are scripted HTTP servers, because the subject is the worker's resend
 * logic, and a real cluster cannot be made to answer one report of a batch 429 on demand.
 */
class ReportSenderTest {

    private static final JsonMapper JSON = FlowRaftJson.mapper();
    /** The coordinator's default request body limit. */
    private static final int BODY_LIMIT = 4 * 1024 * 1024;

    /** Where each request went, which leases it carried, and whether it was lost; in arrival order. */
    private record Received(int server, List<String> leaseIds, boolean lost) {
    }

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    /** How many times a lease was answered 200 in an answer that reached the worker. */
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private ReportSender sender;

    @BeforeEach
    void startCoordinators() throws IOException {
        for (int i = 0; i < 2; i++) {
            int server = i;
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/api/v1/reports", exchange -> answer(server, exchange));
            http.start();
            servers.add(http);
        }
        List<URI> uris = servers.stream()
                .map(s -> URI.create("http://127.0.0.1:" + s.getAddress().getPort())).toList();
        Coordinators coordinators = new Coordinators(uris, Duration.ofSeconds(5), ClientCredentials.none(),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        sender = new ReportSender(coordinators, 2, 256);
        sender.start();
    }

    @AfterEach
    void stop() {
        sender.close();
        servers.forEach(s -> s.stop(0));
    }

    /**
     * The script, per lease: a request body over 4 MB is refused whole (413); {@code ok.*} is answered 200; {@code stale.*} 409; {@code busy.*} 429 the first
     * time, then its request is lost (connection closed, no answer) the second time, then 200; {@code down.*} is
     * 503 (no leader) every time.
     */
    private void answer(int server, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            if (requestBody.length > BODY_LIMIT) {
                byte[] problem = JSON.writeValueAsBytes(Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "body over 4 MB"));
                exchange.getResponseHeaders().set("Content-Type", FlowRaftHttp.PROBLEM_JSON);
                exchange.sendResponseHeaders(413, problem.length);
                exchange.getResponseBody().write(problem);
                return;
            }
            ReportBatchRequest request = JSON.readValue(requestBody, ReportBatchRequest.class);
            List<String> leaseIds = request.reports().stream().map(TaskReport::leaseId).toList();
            Map<String, Integer> times = new HashMap<>();
            leaseIds.forEach(id -> times.put(id, seen.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet()));
            boolean lost = leaseIds.stream().anyMatch(id -> id.startsWith("busy") && times.get(id) == 2);
            received.add(new Received(server, leaseIds, lost));
            if (lost) {
                return; // closes the connection without an answer: the whole request is lost
            }
            List<ReportBatchResponse.Result> results = leaseIds.stream().map(id -> result(id, times.get(id))).toList();
            results.stream().filter(r -> r.status() == 200)
                    .forEach(r -> accepted.computeIfAbsent(r.leaseId(), id -> new AtomicInteger()).incrementAndGet());
            byte[] body = JSON.writeValueAsBytes(new ReportBatchResponse(results));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set(FlowRaftHttp.ROLE, FlowRaftHttp.ROLE_LEADER);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private ReportBatchResponse.Result result(String leaseId, int times) {
        if (leaseId.startsWith("stale")) {
            return new ReportBatchResponse.Result(leaseId, 409, null, Problem.of(ProblemType.STALE_LEASE, "lease superseded"));
        }
        if (leaseId.startsWith("down")) {
            return new ReportBatchResponse.Result(leaseId, 503, null, Problem.of(ProblemType.NOT_LEADER, "no leader"));
        }
        if (leaseId.startsWith("busy") && times == 1) {
            Problem overloaded = Problem.of(ProblemType.OVERLOADED, "too many proposals in flight");
            return new ReportBatchResponse.Result(leaseId, 429, null, new Problem(overloaded.type(), overloaded.title(),
                    429, overloaded.detail(), null, null, null, 1L));
        }
        return new ReportBatchResponse.Result(leaseId, 200,
                new ReportResponse(leaseId, "wf", leaseId, TaskStatus.COMPLETED, false), null);
    }

    private CompletableFuture<Object> sendAsync(String leaseId) {
        return sendAsync(TaskReport.completed(leaseId, null));
    }

    private CompletableFuture<Object> sendAsync(TaskReport report) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sender.send(report);
            } catch (FlowRaftProblemException e) {
                return e;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    @Test
    void shouldResendOnlyTheReportsThatWereRefusedForNowOrLost() {
        // when three tasks report at once: one accepted, one refused for good, one refused for now and then lost
        CompletableFuture<Object> ok = sendAsync("ok.1");
        CompletableFuture<Object> stale = sendAsync("stale.1");
        CompletableFuture<Object> busy = sendAsync("busy.1");

        // then the accepted and the eventually accepted reports get their 200 answer
        assertThat(ok.join()).isInstanceOfSatisfying(ReportResponse.class, r -> assertThat(r.leaseId()).isEqualTo("ok.1"));
        assertThat(busy.join()).isInstanceOfSatisfying(ReportResponse.class, r -> assertThat(r.leaseId()).isEqualTo("busy.1"));
        // and the refused one gets the coordinator's problem, thrown to its task, and is never sent again
        assertThat(stale.join()).isInstanceOfSatisfying(FlowRaftProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.problem().knownType()).contains(ProblemType.STALE_LEASE);
        });
        assertThat(seen.get("stale.1").get()).isEqualTo(1);
        // and the 429'd report went again, to the other coordinator, then once more after its request was lost
        assertThat(seen.get("busy.1").get()).isEqualTo(3);
        assertThat(accepted).containsOnlyKeys("ok.1", "busy.1").allSatisfy((leaseId, times) -> assertThat(times.get()).isEqualTo(1));
        List<Integer> busyServers = received.stream().filter(r -> r.leaseIds().contains("busy.1")).map(Received::server).toList();
        assertThat(busyServers.get(1)).as(received.toString()).isNotEqualTo(busyServers.get(0));
        assertThat(busyServers.get(2)).isNotEqualTo(busyServers.get(1));
    }

    @Test
    void shouldAnswerEveryReportOfALargeBatchOnItsOwn() {
        // when many tasks report at once, some refused for now
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            answers.add(sendAsync((i % 10 == 0 ? "busy." : "ok.") + i));
        }

        // then every one is answered 200 for its own lease, and none was accepted twice
        for (int i = 0; i < answers.size(); i++) {
            String leaseId = (i % 10 == 0 ? "busy." : "ok.") + i;
            assertThat(answers.get(i).join()).isInstanceOfSatisfying(ReportResponse.class,
                    r -> assertThat(r.leaseId()).isEqualTo(leaseId));
        }
        // and each was accepted exactly once: nothing accepted was sent again, except within a lost request
        assertThat(accepted).hasSize(300).allSatisfy((leaseId, times) -> assertThat(times.get()).as(leaseId).isEqualTo(1));
        // and every report refused for now went at least three times (refused, lost, accepted)
        seen.forEach((leaseId, times) -> {
            if (leaseId.startsWith("busy")) {
                assertThat(times.get()).as(leaseId).isGreaterThanOrEqualTo(3);
            }
        });
        assertThat(received).allSatisfy(r -> assertThat(r.leaseIds()).hasSizeLessThanOrEqualTo(256));
    }

    @Test
    void shouldNeverPutLargeOutputsOfDifferentTasksInOneOversizedRequest() {
        // when 40 tasks with outputs of 250 KB each (10 MB together) report at once
        String big = "x".repeat(250_000);
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(sendAsync(TaskReport.completed("ok." + i, JSON.createObjectNode().put("blob", big))));
        }

        // then every one is accepted: no request went over the coordinator's body limit
        for (int i = 0; i < answers.size(); i++) {
            String leaseId = "ok." + i;
            assertThat(answers.get(i).join()).isInstanceOfSatisfying(ReportResponse.class,
                    r -> assertThat(r.leaseId()).isEqualTo(leaseId));
        }
        assertThat(received).hasSizeGreaterThan(1);
    }

    @Test
    void shouldAnswerNullToReportsStillUnsentWhenClosed() throws Exception {
        // given a report the coordinators keep refusing for now (no leader), resent again and again
        CompletableFuture<Object> report = sendAsync("down.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.containsKey("down.1") && seen.get("down.1").get() >= 2);

        // when the worker is killed and closes its sender
        sender.close();

        // then the waiting task gets no answer (it counts as abandoned) at once, rather than hanging
        assertThat(report.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(accepted).doesNotContainKey("down.1");
    }
}
