package io.flowraft.coordinator.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaseIdTest {

    @Test
    void shouldRoundTripThroughItsText() {
        LeaseId id = new LeaseId("wf-17", "charge", 4711);
        assertThat(id.toString()).isEqualTo("wf-17.charge.4711");
        assertThat(LeaseId.parse("wf-17.charge.4711")).contains(id);
    }

    @Test
    void shouldRejectAnythingThatIsNotThreeValidParts() {
        for (String bad : new String[] {null, "", "4711", "wf.4711", ".charge.1", "wf..1", "wf.charge.", "wf.charge.x",
                "wf.charge.0", "wf.charge.-3", "w f.charge.1", "wf.ch/arge.1", "wf.charge.99999999999999999999"}) {
            assertThat(LeaseId.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void shouldReadTheLastTwoDotsAsSeparators() {
        // a dot inside the workflow id is not valid, so a four-part id is rejected rather than misread
        assertThat(LeaseId.parse("a.b.c.1")).isEmpty();
    }
}
