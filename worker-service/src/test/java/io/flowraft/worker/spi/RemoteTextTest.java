package io.flowraft.worker.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Remote text reaches a log line on one line, with nothing that can forge or hide log content. */
class RemoteTextTest {

    @Test
    void shouldEscapeLineBreaksAndOtherControlCharacters() {
        // given text that tries to forge a second log line, ring the bell, and reverse what follows
        String remote = "denied\r\n2026-01-01 INFO Completed everything\tok\u0007 \u202egnp.exe \u2028 back\\slash \u0000";
        // when
        String escaped = RemoteText.escape(remote);
        // then
        assertThat(escaped).isEqualTo("denied\\r\\n2026-01-01 INFO Completed everything\\tok\\u0007 \\u202egnp.exe \\u2028"
                + " back\\\\slash \\u0000");
        assertThat(escaped).doesNotContain("\r", "\n", "\u202e", "\u0007");
    }

    @Test
    void shouldLeavePlainTextAsItIs() {
        String plain = "HTTP 404 from https://example.org/x: {\"error\":\"not found\"} – é ✓";
        assertThat(RemoteText.escape(plain)).isSameAs(plain);
        assertThat(RemoteText.escape(null)).isEqualTo("null");
    }
}
