package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.flowraft.coordinator.replication.NoLeaderException;
import io.flowraft.coordinator.replication.OutcomeUnknownException;
import io.flowraft.coordinator.replication.OverloadedException;
import org.junit.jupiter.api.Test;

/** What a client is told when SOFAJRaft refuses or fails a proposal (the messages are SOFAJRaft's own). */
class ProposalClosureTest {

    @Test
    void aProposalRefusedDuringALeadershipHandoverIsALeaderChangeNotOverload() {
        RuntimeException failure = ProposalClosure.failureFor(new Status(RaftError.EBUSY, "Is transferring leadership."));
        assertThat(failure).isInstanceOf(NoLeaderException.class).hasMessageContaining("handed over");
    }

    @Test
    void aFullApplyQueueIsOverload() {
        RuntimeException failure = ProposalClosure.failureFor(new Status(RaftError.EBUSY, "Node is busy, has too many tasks"));
        assertThat(failure).isInstanceOf(OverloadedException.class);
    }

    @Test
    void aNodeThatIsNoLongerLeaderProposedNothing() {
        assertThat(ProposalClosure.failureFor(new Status(RaftError.EPERM, "Is not leader.")))
                .isInstanceOf(NoLeaderException.class);
        assertThat(ProposalClosure.failureFor(new Status(RaftError.EPERM, "Leader stepped down")))
                .isInstanceOf(OutcomeUnknownException.class);
    }
}
