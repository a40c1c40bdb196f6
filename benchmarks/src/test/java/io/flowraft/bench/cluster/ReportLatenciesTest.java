package io.flowraft.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportLatenciesTest {

    private static final URI FIRST = URI.create("http://127.0.0.1:1");
    private static final URI SECOND = URI.create("http://127.0.0.1:2");
    private static final URI THIRD = URI.create("http://127.0.0.1:3");

    private static Histogram of(long micros, int times) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount(micros, times);
        return histogram;
    }

    @Test
    void shouldCountEachWorkersNewSamplesWhateverWorkersAnsweredEachRead() {
        // given a worker read twice, one read only after, and one read only before (it stopped answering)
        Histogram firstAfter = of(5_000, 10);
        firstAfter.recordValueWithCount(7_000, 5);
        Map<URI, Histogram> before = Map.of(FIRST, of(5_000, 10), THIRD, of(9_000, 50));
        Map<URI, Histogram> after = Map.of(FIRST, firstAfter, SECOND, of(3_000, 3));

        // when
        Histogram phase = ReportLatencies.since(before, after);

        // then the phase holds the first worker's 5 new samples and the second's 3, and nothing of the third's
        assertThat(phase.getTotalCount()).isEqualTo(8);
        assertThat(phase.getMaxValue()).isLessThan(8_000);
    }

    @Test
    void shouldCountAWorkerRestartedBetweenTheReadsFromZero() {
        Histogram phase = ReportLatencies.since(Map.of(FIRST, of(5_000, 10)), Map.of(FIRST, of(6_000, 4)));
        assertThat(phase.getTotalCount()).isEqualTo(4);
    }
}
