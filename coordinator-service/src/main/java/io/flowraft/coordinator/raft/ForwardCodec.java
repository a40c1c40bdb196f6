package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.codec.EntryCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of forwarding between coordinators, our own format rather than any serializer's: a request names its
 * kind, its sender and recipient, when it was sent, its sender's session and sequence number, and a payload (an
 * encoded command, a peer, or nothing), then ends with an HMAC-SHA256 over all of that under the cluster secret. An answer
 * ends with an HMAC over the request's MAC and the answer, so it is bound to the request it answers. Nothing of a
 * frame is read before its MAC checked out.
 *
 * <pre>
 * request: u8 version=1 | u8 kind | utf sender | utf recipient | i64 sentAtMs | i64 session | i64 sequence
 *          | i32 n | n bytes payload | 32 bytes MAC
 * answer:  u8 version=1 | u8 outcome | i64 index | i64 retryAfterMs | str message | str subject
 *          | i32 n (-1: none) | n bytes result | 32 bytes MAC
 * </pre>
 */
final class ForwardCodec {

    static final int VERSION = 1;
    /** Frames above this are refused before their MAC is computed; a command fits in one log entry. */
    static final int MAX_FRAME_BYTES = EntryCodec.MAX_ENTRY_BYTES + 64 * 1024;
    private static final byte[] REQUEST_CONTEXT = "flowraft forward request v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER_CONTEXT = "flowraft forward answer v1\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a forwarded request asks. The first four go to the leader; the last two to any peer, from a node that
     * starts with {@code flowraft.raft.join-existing} ({@link JoinExisting}). Kinds are written as their ordinal:
     * append new ones, never reorder (a coordinator that predates a kind refuses it as unknown).
     */
    enum Kind {
        COMMAND, ADD_PEER, REMOVE_PEER, TRANSFER_LEADERSHIP,
        /** Which voters the recipient's group has and who leads it, as it knows them ({@link MembershipReport}). */
        CONFIGURATION,
        /** Add the sender, which the payload names, as a voter: the recipient makes or forwards the change. */
        JOIN
    }

    /** How the leader answered; everything but OK is a failure the follower rethrows as its own kind. */
    enum Outcome {
        OK, NOT_LEADER, OVERLOADED, OUTCOME_UNKNOWN, MEMBERSHIP_CONFLICT, MEMBERSHIP_CHANGE_FAILED,
        /** Refused before anything was proposed: not authenticated, stale, replayed, malformed or not allowed. */
        REFUSED
    }

    record Request(Kind kind, String sender, String recipient, long sentAtMs, long session, long sequence,
            byte[] payload) {
    }

    /**
     * @param subject the peer a membership conflict concerns; for {@code OVERLOADED}, the refusal reason's code
     *                (null from leaders that predate reasons); null otherwise
     * @param result  the encoded result of a committed command, or null
     */
    record Answer(Outcome outcome, long index, long retryAfterMs, String message, String subject, byte[] result) {

        static Answer ok(byte[] result, long index) {
            return new Answer(Outcome.OK, index, 0, null, null, result);
        }

        static Answer failure(Outcome outcome, String message, String subject, long retryAfterMs) {
            return new Answer(outcome, 0, retryAfterMs, message, subject, null);
        }
    }

    /** A frame that did not authenticate or could not be read; nothing of it may be acted on. */
    static final class RejectedFrame extends Exception {
        RejectedFrame(String message) {
            super(message);
        }
    }

    private final ClusterKey key;

    ForwardCodec(ClusterKey key) {
        this.key = key;
    }

    byte[] encode(Request request) {
        return seal(REQUEST_CONTEXT, out -> {
            out.writeByte(VERSION);
            out.writeByte(request.kind().ordinal());
            out.writeUTF(request.sender());
            out.writeUTF(request.recipient());
            out.writeLong(request.sentAtMs());
            out.writeLong(request.session());
            out.writeLong(request.sequence());
            out.writeInt(request.payload().length);
            out.write(request.payload());
        });
    }

    /** Checks the MAC first (constant time), then reads the request. */
    Request decodeRequest(byte[] frame) throws RejectedFrame {
        authenticate(REQUEST_CONTEXT, frame, "request");
        return read(frame, in -> {
            version(in);
            Kind kind = enumOf(Kind.values(), in.readUnsignedByte(), "kind");
            String sender = in.readUTF();
            String recipient = in.readUTF();
            long sentAt = in.readLong();
            long session = in.readLong();
            long sequence = in.readLong();
            return new Request(kind, sender, recipient, sentAt, session, sequence, bytes(in));
        });
    }

    /** @param request the frame of the request this answers (its MAC binds the answer to it) */
    byte[] encode(Answer answer, byte[] request) {
        return seal(concat(ANSWER_CONTEXT, macOf(request)), out -> {
            out.writeByte(VERSION);
            out.writeByte(answer.outcome().ordinal());
            out.writeLong(answer.index());
            out.writeLong(answer.retryAfterMs());
            writeNullable(out, answer.message());
            writeNullable(out, answer.subject());
            if (answer.result() == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(answer.result().length);
                out.write(answer.result());
            }
        });
    }

    /** Checks the answer's MAC against the request it answers, then reads it. */
    Answer decodeAnswer(byte[] frame, byte[] request) throws RejectedFrame {
        authenticate(concat(ANSWER_CONTEXT, macOf(request)), frame, "answer");
        return read(frame, in -> {
            version(in);
            Outcome outcome = enumOf(Outcome.values(), in.readUnsignedByte(), "outcome");
            long index = in.readLong();
            long retryAfter = in.readLong();
            String message = readNullable(in);
            String subject = readNullable(in);
            int n = in.readInt();
            byte[] result = n < 0 ? null : in.readNBytes(checkLength(n, in));
            if (result != null && result.length != n) {
                throw new EOFException();
            }
            return new Answer(outcome, index, retryAfter, message, subject, result);
        });
    }

    private void authenticate(byte[] context, byte[] frame, String what) throws RejectedFrame {
        if (frame == null || frame.length < ClusterKey.MAC_BYTES + 1) {
            throw new RejectedFrame("Forwarded " + what + " too short to carry a MAC");
        }
        if (frame.length > MAX_FRAME_BYTES) {
            throw new RejectedFrame("Forwarded " + what + " of " + frame.length + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        if (!key.verify(context, frame)) {
            throw new RejectedFrame("Forwarded " + what + " failed authentication (wrong or missing MAC: do the"
                    + " coordinators share the same flowraft.raft.cluster-secret?)");
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException, RejectedFrame;
    }

    private byte[] seal(byte[] context, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        byte[] body = bytes.toByteArray();
        byte[] frame = Arrays.copyOf(body, body.length + ClusterKey.MAC_BYTES);
        System.arraycopy(key.mac(context, body, body.length), 0, frame, body.length, ClusterKey.MAC_BYTES);
        return frame;
    }

    private static <T> T read(byte[] frame, Reader<T> reader) throws RejectedFrame {
        ByteArrayInputStream in = new ByteArrayInputStream(frame, 0, frame.length - ClusterKey.MAC_BYTES);
        try (DataInputStream data = new DataInputStream(in)) {
            T value = reader.read(data);
            if (in.available() != 0) {
                throw new RejectedFrame("Forwarded frame has " + in.available() + " bytes after its end");
            }
            return value;
        } catch (IOException e) {
            throw new RejectedFrame("Forwarded frame is malformed: " + e);
        }
    }

    private static void version(DataInputStream in) throws IOException, RejectedFrame {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new RejectedFrame("Expected forwarding format version " + VERSION + ", found " + version);
        }
    }

    private static <E extends Enum<E>> E enumOf(E[] values, int ordinal, String what) throws RejectedFrame {
        if (ordinal >= values.length) {
            throw new RejectedFrame("Unknown forwarded " + what + " " + ordinal);
        }
        return values[ordinal];
    }

    private static byte[] bytes(DataInputStream in) throws IOException, RejectedFrame {
        int n = checkLength(in.readInt(), in);
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException();
        }
        return bytes;
    }

    private static int checkLength(int n, DataInputStream in) throws IOException, RejectedFrame {
        if (n < 0 || n > in.available()) {
            throw new RejectedFrame("Forwarded frame announces " + n + " bytes but holds " + in.available());
        }
        return n;
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8 == null ? -1 : utf8.length);
        if (utf8 != null) {
            out.write(utf8);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException, RejectedFrame {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] utf8 = in.readNBytes(checkLength(n, in));
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] macOf(byte[] frame) {
        return frame == null || frame.length < ClusterKey.MAC_BYTES ? new byte[ClusterKey.MAC_BYTES]
                : Arrays.copyOfRange(frame, frame.length - ClusterKey.MAC_BYTES, frame.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
