package io.flowraft.coordinator.engine.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random checks; a failure names its seed and case, and the seed replays it exactly. */
class PayloadsTest {

    private static final long SEED = 20261123L;

    /** Random text mixing ASCII, two- and three-byte characters, surrogate pairs and lone surrogates. */
    static String randomText(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> s.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> s.append((char) (0x800 + random.nextInt(0xd000)));
                case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0xfffff));
                default -> s.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
            }
        }
        return s.toString();
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        Random random = new Random(SEED);
        for (int i = 0; i < 2_000; i++) {
            String s = randomText(random, 40);
            assertThat(Payloads.utf8Length(s)).as("seed %d case %d", SEED, i)
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void truncateNeverExceedsTheLimitNorSplitsACharacter() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            String s = randomText(random, 60);
            int max = 16 + random.nextInt(49);
            String cut = Payloads.truncate(s, max);
            if (Payloads.utf8Length(s) <= max) {
                assertThat(cut).isSameAs(s);
            } else {
                assertThat(cut).endsWith("…");
                assertThat(Payloads.utf8Length(cut)).isLessThanOrEqualTo(max);
            }
        }
    }
}
