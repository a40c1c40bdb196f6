package io.flowraft.cli;

import io.flowraft.contracts.client.FlowRaftProblemException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Calls that a verb keeps repeating until a deadline while the cluster answers "later" (429, 503, 504: no leader
 * yet, a membership change in progress, outcome unknown) or cannot be reached; any other failure ends at once.
 * Only for calls that are safe to repeat (reads, idempotent writes, membership changes checked against the view).
 */
final class Retries {

    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private Retries() {
    }

    /** {@code call}'s answer; past {@code deadline}, its last failure. */
    static <T> T until(Instant deadline, Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (FlowRaftProblemException e) {
                if (!retryable(e.status()) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Long retryAfter = e.problem() == null ? null : e.problem().retryAfterSeconds();
                pause(retryAfter == null ? Duration.ofMillis(500) : Duration.ofSeconds(retryAfter));
            } catch (UncheckedIOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    static boolean retryable(int status) {
        return status == 429 || status == 503 || status == 504;
    }

    static void pause(Duration wanted) {
        try {
            Thread.sleep(wanted.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wanted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }
}
