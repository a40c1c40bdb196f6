package io.flowraft.worker.runtime;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Report to committed, as this worker sees it: from sending a completion or failure to the coordinator's
 * answer (retries included), in microseconds, in an HdrHistogram. The Micrometer timer
 * {@code flowraft.worker.report} has the same samples; this one keeps exact percentiles and can be merged
 * across workers, which is what {@code ./flowraft bench} reads from {@code /actuator/reportlatency}.
 */
public final class ReportLatency {

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);

    void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(TimeUnit.NANOSECONDS.toMicros(nanos), 0), MAX_MICROS));
    }

    /** Every sample since the worker started. */
    public synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** {@link #snapshot()} in HdrHistogram's compressed encoding, Base64: what a harness can decode and merge. */
    public String encoded() {
        Histogram histogram = snapshot();
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }
}
