package io.flowraft.worker.it;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The span exporter of one application context in a test, handing its spans to an {@link InMemorySpanExporter}
 * shared by every context of the test (coordinators and workers), so a test sees whole traces. Closing a context
 * shuts its exporter down: that must not clear or stop the shared one, since the other contexts go on.
 */
final class CollectingSpanExporter implements SpanExporter {

    private final InMemorySpanExporter spans;

    CollectingSpanExporter(InMemorySpanExporter spans) {
        this.spans = spans;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        return spans.export(batch);
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
