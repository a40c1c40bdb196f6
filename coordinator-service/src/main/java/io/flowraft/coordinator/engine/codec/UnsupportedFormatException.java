package io.flowraft.coordinator.engine.codec;

/**
 * Bytes in a format, or with a command tag, that this version does not know: written by a newer FlowRaft.
 * Skipping them would make this replica diverge from the ones that understood them, so a node that meets one
 * must stop until it is upgraded. The message says so.
 */
public final class UnsupportedFormatException extends CodecException {

    public UnsupportedFormatException(String what, int found, int newestKnown) {
        super(what + " " + found + " is newer than this node reads (up to " + newestKnown + "): it was written by a "
                + "newer FlowRaft. Upgrade this node to the version the rest of the cluster runs (one that reads "
                + what + " " + found + " or later) and restart it");
    }
}
