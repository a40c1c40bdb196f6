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
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Report → committed, as the workers saw it: each worker's {@code /actuator/reportlatency} histogram
 * (microseconds), merged. Read before and after a phase; the phase's own samples are the difference.
 */
final class ReportLatencies {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReportLatencies() {
    }

    /** Every report of every worker so far, merged; workers that do not answer count as empty. */
    static Histogram read(List<URI> workers) {
        Histogram merged = new Histogram(3);
        for (URI worker : workers) {
            try {
                HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(worker.resolve("/actuator/reportlatency"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    continue;
                }
                JsonNode body = FlowRaftJson.mapper().readTree(response.body());
                byte[] encoded = Base64.getDecoder().decode(body.get("histogram").asString());
                merged.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0));
            } catch (IOException | DataFormatException e) {
                // a worker that is gone contributes nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return merged;
            }
        }
        return merged;
    }

    /** The samples in {@code after} that were not yet in {@code before}. */
    static Histogram since(Histogram before, Histogram after) {
        Histogram phase = after.copy();
        phase.setAutoResize(true);
        phase.subtract(before);
        return phase;
    }
}
