package io.flowraft.coordinator.replication;

/**
 * A membership change or leadership transfer that cannot be made as asked while the membership is what it is:
 * removing a peer that is no member, handing leadership to one. Retrying the same request does not help.
 */
public final class MembershipConflictException extends RuntimeException {

    private final String peer;

    public MembershipConflictException(String message, String peer) {
        super(message);
        this.peer = peer;
    }

    /** The peer the request named, or null when it named none (a transfer to whichever follower). */
    public String peer() {
        return peer;
    }
}
