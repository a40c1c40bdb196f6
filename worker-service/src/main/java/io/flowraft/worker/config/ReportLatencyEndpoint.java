package io.flowraft.worker.config;

import io.flowraft.worker.runtime.ReportLatency;
import io.flowraft.worker.runtime.Worker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/reportlatency}: how long this worker's reports took to be committed, in microseconds
 * (count, p50, p90, p99, max) and the whole HdrHistogram (compressed, Base64) for merging across workers.
 */
@Component
@Endpoint(id = "reportlatency")
public class ReportLatencyEndpoint {

    private final Worker worker;

    public ReportLatencyEndpoint(Worker worker) {
        this.worker = worker;
    }

    @ReadOperation
    public Map<String, Object> read() {
        ReportLatency latency = worker.reportLatency();
        Histogram histogram = latency.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("unit", "microseconds");
        body.put("count", histogram.getTotalCount());
        body.put("p50", histogram.getValueAtPercentile(50));
        body.put("p90", histogram.getValueAtPercentile(90));
        body.put("p99", histogram.getValueAtPercentile(99));
        body.put("max", histogram.getMaxValue());
        body.put("histogram", latency.encoded());
        return body;
    }
}
