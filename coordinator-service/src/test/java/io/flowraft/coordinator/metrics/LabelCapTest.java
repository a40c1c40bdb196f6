package io.flowraft.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelCapTest {

    @Test
    void shouldNameTheFirstValuesItMeetsAndCallTheRestOther() {
        // given a cap of two
        LabelCap cap = new LabelCap(2);
        // when values arrive, some again
        List<String> labels = List.of("b", "a", "c", "b", "a", "d").stream().map(cap::label).toList();
        // then the first two keep their names for good, and every later one is "other"
        assertThat(labels).containsExactly("b", "a", "other", "b", "a", "other");
        assertThat(cap.named()).isEqualTo(2);
    }

    @Test
    void shouldNameTheSameValuesInAnotherProcessThatMeetsThemInTheSameOrder() {
        LabelCap one = new LabelCap(3);
        LabelCap other = new LabelCap(3);
        List<String> arrivals = List.of("x", "y", "x", "z", "w", "y", "v");
        assertThat(arrivals.stream().map(one::label).toList()).isEqualTo(arrivals.stream().map(other::label).toList());
    }

    @Test
    void shouldRefuseACapThatNamesNothing() {
        assertThatThrownBy(() -> new LabelCap(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLabelDefinitionsByNameWithoutVersionAndInlineWorkflowsApart() {
        MetricLabels labels = new MetricLabels(new LabelCap(10), new LabelCap(1));
        assertThat(labels.definition("orders@3")).isEqualTo("orders");
        assertThat(labels.definition("orders@4")).isEqualTo("orders");
        assertThat(labels.definition(null)).isEqualTo(MetricLabels.INLINE);
        assertThat(labels.definition("refunds@1")).isEqualTo(LabelCap.OTHER);
    }
}
