package io.flowraft.bench.cluster;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.WorkflowHistory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * READY → leased, read from committed histories after the run: for each task, from the {@code TaskReadied}
 * entry to the {@code LeaseGranted} entry that followed it. Both carry the leader's clock as stamped into the
 * command that caused them, so this is the time from the command that readied the task to the poll that
 * leased it, in milliseconds (the stamps' resolution), kept in microseconds like the other histograms.
 */
final class DispatchLatency {

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    private DispatchLatency() {
    }

    /** Reads the histories of up to {@code sample} of the ids, spread evenly, into one histogram. */
    static Histogram of(CoordinatorPool pool, String[] ids, int sample) {
        Histogram histogram = new Histogram(MAX_MICROS, 3);
        int present = 0;
        for (String id : ids) {
            present += id == null ? 0 : 1;
        }
        int step = Math.max(1, present / Math.max(sample, 1));
        int seen = 0;
        for (String id : ids) {
            if (id == null || seen++ % step != 0) {
                continue;
            }
            record(pool.call(client -> client.history(id)), histogram);
        }
        return histogram;
    }

    static void record(WorkflowHistory history, Histogram into) {
        Map<String, Long> readyAt = new HashMap<>();
        for (HistoryEntry entry : history.entries()) {
            if (entry.taskId() == null || entry.at() == null) {
                continue;
            }
            switch (entry.kind()) {
                case "TaskReadied" -> readyAt.put(entry.taskId(), entry.at().toEpochMilli());
                case "LeaseGranted" -> {
                    Long ready = readyAt.remove(entry.taskId());
                    if (ready != null) {
                        long micros = TimeUnit.MILLISECONDS.toMicros(Math.max(entry.at().toEpochMilli() - ready, 0));
                        into.recordValue(Math.min(micros, MAX_MICROS));
                    }
                }
                default -> {
                }
            }
        }
    }
}
