package io.flowraft.coordinator.engine.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PayloadsTest {

    @Property(tries = 300)
    void utf8LengthMatchesTheEncoder(@ForAll String s) {
        assertThat(Payloads.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Property(tries = 300)
    void truncateNeverExceedsTheLimitNorSplitsACharacter(@ForAll String s, @ForAll @IntRange(min = 16, max = 64) int max) {
        String cut = Payloads.truncate(s, max);
        assertThat(Payloads.utf8Length(cut)).isLessThanOrEqualTo(max);
        if (Payloads.utf8Length(s) <= max) {
            assertThat(cut).isSameAs(s);
        } else {
            assertThat(cut).endsWith("…");
            assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
        }
    }
}
