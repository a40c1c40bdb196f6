package io.flowraft.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flowraft.contracts.FlowRaftHttp;
import io.flowraft.contracts.client.ClientCredentials;
import io.flowraft.contracts.client.FlowRaftClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which coordinator a worker calls after the leader dies, when a surviving node said "follower" during the
 * election and leads since. The coordinators are scripted HTTP servers, because the subject is the worker's
 * choice, and a real cluster cannot be made to answer in this order on demand.
 */
class CoordinatorChoiceTest {

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** A coordinator answering every call 200 as leader, or 503 not-leader as follower, as {@code leads} says. */
    private URI coordinator(AtomicBoolean leads) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            try (exchange) {
                boolean leader = leads.get();
                byte[] body = (leader ? "{\"nodeId\": \"n\"}"
                        : "{\"type\": \"https://flowraft.io/problems/not-leader\", \"status\": 503}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", leader ? "application/json" : "application/problem+json");
                exchange.getResponseHeaders().set(FlowRaftHttp.ROLE, leader ? FlowRaftHttp.ROLE_LEADER : FlowRaftHttp.ROLE_FOLLOWER);
                exchange.sendResponseHeaders(leader ? 200 : 503, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        http.start();
        servers.add(http);
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @Test
    void shouldFindTheNewLeaderThatSaidFollowerDuringTheElection() throws IOException {
        // given three coordinators: the first leads, the second will lead, the third follows
        AtomicBoolean firstLeads = new AtomicBoolean(true);
        AtomicBoolean secondLeads = new AtomicBoolean(false);
        URI first = coordinator(firstLeads);
        URI second = coordinator(secondLeads);
        URI third = coordinator(new AtomicBoolean(false));
        Coordinators coordinators = new Coordinators(List.of(first, second, third), Duration.ofSeconds(5),
                ClientCredentials.none(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)));
        assertThat(call(coordinators)).isEqualTo(first);

        // when the leader dies, the second says "follower" during the election, and is elected
        servers.getFirst().stop(0);
        assertThat(call(coordinators)).isNull(); // the dead leader
        assertThat(call(coordinators)).isNull(); // the second, not leading yet
        secondLeads.set(true);
        List<URI> answeredBy = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answeredBy.add(call(coordinators));
        }

        // then the worker finds the second within a round of the others, and stays with it
        assertThat(answeredBy.subList(0, 3)).contains(second);
        assertThat(answeredBy.subList(3, 10)).containsOnly(second);
    }

    /** One call as the worker makes it; answers who answered it, or null if it failed. */
    private static URI call(Coordinators coordinators) {
        FlowRaftClient client = coordinators.next();
        try {
            client.cluster();
            return client.baseUri();
        } catch (RuntimeException e) {
            coordinators.failed(client);
            return null;
        }
    }
}
