package io.flowraft.contracts.client;

import io.flowraft.contracts.Problem;
import io.flowraft.contracts.ProblemType;
import java.util.Optional;

/** A coordinator answered with an RFC 9457 problem. */
public class FlowRaftProblemException extends RuntimeException {

    private final int status;
    private final Problem problem;

    public FlowRaftProblemException(int status, Problem problem) {
        super(status + " " + (problem == null ? "" : problem.type() + ": " + problem.detail()));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem body; null when the answer had none (a proxy error, say). */
    public Problem problem() {
        return problem;
    }

    public Optional<ProblemType> type() {
        return problem == null ? Optional.empty() : problem.knownType();
    }

    /** Whether retrying the same request later may succeed (429, 503, 504). */
    public boolean isRetryable() {
        return status == 429 || status == 503 || status == 504;
    }
}
