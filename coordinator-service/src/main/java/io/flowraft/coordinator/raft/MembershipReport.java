package io.flowraft.coordinator.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import io.flowraft.coordinator.raft.ForwardCodec.Answer;
import io.flowraft.coordinator.raft.ForwardCodec.RejectedFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a coordinator reports of its Raft group when another asks ({@link ForwardCodec.Kind#CONFIGURATION}): the
 * voters of its current configuration (empty while it runs without one, waiting to be added) and the leader it
 * knows (null during an election). Carried in an authenticated answer: the voters as the result, comma-separated
 * {@code host:port}, the leader as the subject; each is parsed as a peer id and nothing else.
 */
record MembershipReport(List<String> voters, String leader) {

    MembershipReport {
        voters = List.copyOf(voters);
    }

    /** Whether the group as reported exists without {@code peer}: it has voters, and {@code peer} is none of them. */
    boolean excludes(String peer) {
        return !voters.isEmpty() && !voters.contains(peer);
    }

    Answer answer() {
        byte[] result = String.join(",", voters).getBytes(StandardCharsets.UTF_8);
        return new Answer(ForwardCodec.Outcome.OK, 0, 0, null, leader, result);
    }

    /** The report an OK answer carries. */
    static MembershipReport of(Answer answer) throws RejectedFrame {
        List<String> voters = new ArrayList<>();
        String listed = answer.result() == null ? "" : new String(answer.result(), StandardCharsets.UTF_8);
        for (String voter : listed.split(",")) {
            if (!voter.isEmpty()) {
                voters.add(peer(voter));
            }
        }
        return new MembershipReport(voters, answer.subject() == null ? null : peer(answer.subject()));
    }

    private static String peer(String text) throws RejectedFrame {
        PeerId id = PeerId.parsePeer(text);
        if (id == null || id.isEmpty()) {
            throw new RejectedFrame("A reported peer must be host:port, was '" + text + "'");
        }
        return id.toString();
    }
}
