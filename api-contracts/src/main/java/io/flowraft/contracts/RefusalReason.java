package io.flowraft.contracts;

import java.util.Optional;

/**
 * Why a request was refused with 429 or 503: the {@code reason} member of the problem body and the {@code reason}
 * label of {@code flowraft_http_refused_total}. The codes are stable; clients and alerts may switch on them. Each
 * names the limit or condition that was hit, so an operator knows which knob or which failure to look at; the
 * problem {@code type} says what the client should do, and several reasons share one type.
 */
public enum RefusalReason {
    /** 429 {@code overloaded}: this leader has {@code flowraft.raft.max-in-flight} proposals waiting or in flight. */
    PROPOSAL_QUEUE_FULL("proposal-queue-full", 429),
    /** 429 {@code overloaded}: SOFAJRaft refused the entry (EBUSY: its apply queue or log manager is full). */
    RAFT_BUSY("raft-busy", 429),
    /** 429 {@code overloaded}: another membership change or leadership transfer is under way. */
    MEMBERSHIP_CHANGE_IN_PROGRESS("membership-change-in-progress", 429),
    /** 429 {@code state-budget}: the replicated state is at {@code maxStateBytes}. */
    STATE_BUDGET("state-budget", 429),
    /** 429 {@code history-backlog}: history not yet exported to PostgreSQL fills the state budget. */
    HISTORY_BACKLOG("history-backlog", 429),
    /** 429 {@code rate-limited}: the principal is over its request rate on this coordinator. */
    RATE_LIMITED("rate-limited", 429),
    /** 503 {@code not-leader}: no leader is known or reachable, or the new leader is still catching up. */
    NO_LEADER("no-leader", 503),
    /** 503 {@code membership-change-failed}: a membership change or leadership transfer was not made. */
    MEMBERSHIP_CHANGE_FAILED("membership-change-failed", 503),
    /** 503 {@code history-unavailable}: the history database cannot be read now. */
    HISTORY_UNAVAILABLE("history-unavailable", 503),
    /** 503 {@code snapshot-failed}: a snapshot asked for was not taken. */
    SNAPSHOT_FAILED("snapshot-failed", 503),
    /** A 429 or 503 none of the others explains (none is known to be produced; counted so that one would show). */
    OTHER("other", 0);

    private final String code;
    private final int status;

    RefusalReason(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The stable code, as it appears in problem bodies and metric labels. */
    public String code() {
        return code;
    }

    /** The HTTP status this reason is answered with; 0 for {@link #OTHER}, which has none of its own. */
    public int status() {
        return status;
    }

    /** The reason a problem of {@code type} has unless something finer is known; empty for non-refusals. */
    public static Optional<RefusalReason> defaultFor(ProblemType type) {
        return Optional.ofNullable(switch (type) {
            case OVERLOADED -> PROPOSAL_QUEUE_FULL;
            case STATE_BUDGET -> STATE_BUDGET;
            case HISTORY_BACKLOG -> HISTORY_BACKLOG;
            case RATE_LIMITED -> RATE_LIMITED;
            case NOT_LEADER -> NO_LEADER;
            case MEMBERSHIP_CHANGE_FAILED -> MEMBERSHIP_CHANGE_FAILED;
            case HISTORY_UNAVAILABLE -> HISTORY_UNAVAILABLE;
            case SNAPSHOT_FAILED -> SNAPSHOT_FAILED;
            default -> null;
        });
    }

    /** The reason with this code; empty for null and for codes this client does not know. */
    public static Optional<RefusalReason> fromCode(String code) {
        for (RefusalReason reason : values()) {
            if (reason.code.equals(code)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
