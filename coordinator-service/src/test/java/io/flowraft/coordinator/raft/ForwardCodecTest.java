package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.coordinator.raft.ForwardCodec.Answer;
import io.flowraft.coordinator.raft.ForwardCodec.Kind;
import io.flowraft.coordinator.raft.ForwardCodec.Outcome;
import io.flowraft.coordinator.raft.ForwardCodec.RejectedFrame;
import io.flowraft.coordinator.raft.ForwardCodec.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The forwarding frames and their authentication, and the replay guard, without a cluster. */
class ForwardCodecTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static ClusterKey key(String secret, String mode) {
        return ClusterKey.of(new RaftProperties("127.0.0.1:7101", List.of(), "unused", "g", 1000, 300, 300, 1000, 16, 16,
                1000, 1000, secret, false, Duration.ofSeconds(15)), mode);
    }

    private static Request request(byte[] payload) {
        return new Request(Kind.COMMAND, "127.0.0.1:7102", "127.0.0.1:7101", 1_000L, 42L, 7L, payload);
    }

    @Test
    void shouldReadBackARequestAndItsAnswerUnderTheSameSecret() throws RejectedFrame {
        ForwardCodec codec = new ForwardCodec(key(SECRET, ""));
        byte[] frame = codec.encode(request("payload".getBytes(StandardCharsets.UTF_8)));

        Request read = codec.decodeRequest(frame);
        assertThat(read.kind()).isEqualTo(Kind.COMMAND);
        assertThat(read.sender()).isEqualTo("127.0.0.1:7102");
        assertThat(read.recipient()).isEqualTo("127.0.0.1:7101");
        assertThat(read.session()).isEqualTo(42L);
        assertThat(read.sequence()).isEqualTo(7L);
        assertThat(new String(read.payload(), StandardCharsets.UTF_8)).isEqualTo("payload");

        byte[] answer = codec.encode(Answer.failure(Outcome.MEMBERSHIP_CONFLICT, "not a member", "127.0.0.1:1", 1500),
                frame);
        Answer back = codec.decodeAnswer(answer, frame);
        assertThat(back).isEqualTo(new Answer(Outcome.MEMBERSHIP_CONFLICT, 0, 1500, "not a member", "127.0.0.1:1", null));
    }

    @Test
    void shouldRefuseARequestUnderAnotherSecretOrAlteredByOneBit() {
        byte[] frame = new ForwardCodec(key("another-secret-of-32-characters!", "")).encode(request(new byte[] {1, 2}));
        ForwardCodec codec = new ForwardCodec(key(SECRET, ""));

        assertThatThrownBy(() -> codec.decodeRequest(frame)).isInstanceOf(RejectedFrame.class)
                .hasMessageContaining("failed authentication");

        byte[] genuine = codec.encode(request(new byte[] {1, 2}));
        for (int i = 0; i < genuine.length; i++) {
            byte[] altered = genuine.clone();
            altered[i] ^= 1;
            assertThatThrownBy(() -> codec.decodeRequest(altered)).as("bit flipped in byte " + i)
                    .isInstanceOf(RejectedFrame.class);
        }
        assertThatThrownBy(() -> codec.decodeRequest(new byte[0])).isInstanceOf(RejectedFrame.class);
    }

    @Test
    void shouldRefuseAnAnswerToAnotherRequest() {
        ForwardCodec codec = new ForwardCodec(key(SECRET, ""));
        byte[] first = codec.encode(request(new byte[] {1}));
        byte[] second = codec.encode(new Request(Kind.COMMAND, "127.0.0.1:7102", "127.0.0.1:7101", 1_000L, 42L, 8L,
                new byte[] {1}));
        byte[] answerToFirst = codec.encode(Answer.ok(new byte[] {9}, 12), first);

        assertThatThrownBy(() -> codec.decodeAnswer(answerToFirst, second)).isInstanceOf(RejectedFrame.class);
    }

    @Test
    void shouldRefuseForwardingWithoutASecretUnlessInsecureLocal() throws RejectedFrame {
        assertThat(key("", "").forwardingRefusal()).contains("flowraft.raft.cluster-secret is not set");
        assertThat(key("", "secure").forwardingRefusal()).isNotNull();
        assertThat(key("", "insecure-local").forwardingRefusal()).isNull();
        assertThat(key(SECRET, "").forwardingRefusal()).isNull();

        // insecure-local reads an unauthenticated frame; a node with a secret refuses it
        byte[] unauthenticated = new ForwardCodec(key("", "insecure-local")).encode(request(new byte[] {3}));
        assertThat(new ForwardCodec(key("", "insecure-local")).decodeRequest(unauthenticated).payload())
                .containsExactly(3);
        assertThatThrownBy(() -> new ForwardCodec(key(SECRET, "insecure-local")).decodeRequest(unauthenticated))
                .isInstanceOf(RejectedFrame.class);
    }

    @Test
    void shouldNeverShowTheSecret() {
        RaftProperties properties = new RaftProperties("127.0.0.1:7101", List.of(), "unused", "g", 1000, 300, 300, 1000,
                16, 16, 1000, 1000, SECRET, false, Duration.ofSeconds(15));
        assertThat(properties.hasClusterSecret()).isTrue();
        assertThat(properties.toString()).doesNotContain(SECRET).contains("clusterSecret=(set)");
    }

    @Test
    void shouldAcceptEachRequestOnceInAnyOrderWhileFresh() {
        AtomicLong now = new AtomicLong(1_000_000);
        ReplayGuard guard = new ReplayGuard(now::get);

        assertThat(guard.admit(1, 5, now.get())).isNull();
        assertThat(guard.admit(1, 3, now.get())).as("overtaken, not seen yet").isNull();
        assertThat(guard.admit(1, 5, now.get())).contains("already accepted");
        assertThat(guard.admit(1, 3, now.get())).contains("already accepted");
        assertThat(guard.admit(2, 5, now.get())).as("another session").isNull();
        assertThat(guard.admit(1, 5 + ReplayGuard.WINDOW, now.get())).isNull();
        assertThat(guard.admit(1, 4, now.get())).contains("too old");
        assertThat(guard.admit(1, 6 + ReplayGuard.WINDOW, now.get() - ReplayGuard.MAX_AGE.toMillis() - 1))
                .contains("outside");
        assertThat(guard.admit(1, 7 + ReplayGuard.WINDOW, now.get() + ReplayGuard.MAX_AGE.toMillis() + 1))
                .contains("outside");
    }

    @Test
    void shouldForgetQuietSessionsOnlyOnceTheirRequestsAreStale() {
        AtomicLong now = new AtomicLong(1_000_000);
        ReplayGuard guard = new ReplayGuard(now::get);
        long sentAt = now.get();
        assertThat(guard.admit(1, 0, sentAt)).isNull();

        now.addAndGet(3 * ReplayGuard.MAX_AGE.toMillis());
        assertThat(guard.admit(2, 0, now.get())).isNull();

        assertThat(guard.sessions()).as("session 1 forgotten").isEqualTo(1);
        assertThat(guard.admit(1, 0, sentAt)).as("its request replayed").contains("outside");
    }
}
