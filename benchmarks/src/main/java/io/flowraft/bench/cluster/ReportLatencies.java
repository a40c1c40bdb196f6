package io.flowraft.bench.cluster;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Report → committed, as the workers saw it: each worker's {@code /actuator/reportlatency} histogram
 * (microseconds). Read before and after a phase; the phase's own samples are each worker's difference, merged.
 */
final class ReportLatencies {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReportLatencies() {
    }

    /** Every report of every worker so far, per worker; a worker that does not answer is left out. */
    static Map<URI, Histogram> read(List<URI> workers) {
        Map<URI, Histogram> read = new LinkedHashMap<>();
        for (URI worker : workers) {
            try {
                HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(worker.resolve("/actuator/reportlatency"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    continue;
                }
                JsonNode body = FlowRaftJson.mapper().readTree(response.body());
                byte[] encoded = Base64.getDecoder().decode(body.get("histogram").asString());
                read.put(worker, Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0));
            } catch (IOException | DataFormatException e) {
                // a worker that is gone contributes nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return read;
            }
        }
        return read;
    }

    /**
     * The samples in {@code after} that were not yet in {@code before}, merged over the workers. A worker read
     * only after counts whole; one whose count went down (restarted in between) counts its new samples whole.
     */
    static Histogram since(Map<URI, Histogram> before, Map<URI, Histogram> after) {
        Histogram merged = new Histogram(3);
        after.forEach((worker, now) -> {
            Histogram then = before.get(worker);
            if (then == null || then.getTotalCount() > now.getTotalCount()) {
                merged.add(now);
                return;
            }
            Histogram phase = now.copy();
            phase.setAutoResize(true);
            phase.subtract(then);
            merged.add(phase);
        });
        return merged;
    }
}
