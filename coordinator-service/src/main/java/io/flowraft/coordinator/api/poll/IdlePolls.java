package io.flowraft.coordinator.api.poll;

import io.flowraft.coordinator.api.StuckProperties;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.handler.LeaseTasksRules;
import io.flowraft.coordinator.replication.CommandGateway;
import io.flowraft.coordinator.replication.PollSightings;
import io.flowraft.coordinator.replication.StateReader;
import org.springframework.stereotype.Component;

/**
 * Lets a long poll on the leader wait without proposing when its proposal could only grant nothing: an empty
 * lease costs a Raft entry and an fsync on every replica and changes nothing. The leader's state is the judge (it
 * has applied every entry it committed); a follower's may lag, so on a follower every poll is proposed.
 *
 * <p>One thing an empty poll does do: its commit tells every coordinator that the types are polled, which the
 * {@code no-worker-polling} stuck reason reads. So a poll is proposed anyway once its types' last committed poll
 * is a third of {@code flowraft.stuck.no-poll-after} old; a waiting poll wakes for that (see {@link #refreshInMs}),
 * which keeps a polled type's sighting fresher than before, when a long poll proposed only when it started.
 */
@Component
public class IdlePolls {

    private final CommandGateway gateway;
    private final StateReader state;
    private final PollSightings sightings;
    private final long refreshAfterMs;

    public IdlePolls(CommandGateway gateway, StateReader state, PollSightings sightings, StuckProperties stuck) {
        this.gateway = gateway;
        this.state = state;
        this.sightings = sightings;
        this.refreshAfterMs = Math.max(1, stuck.rules().noPollAfterMs() / 3);
    }

    /**
     * How long the poll may go without proposing before its types' poll sightings need a commit; 0 when it must
     * propose now (not the leader, or a type not polled for {@code refreshAfterMs}).
     */
    long refreshInMs(LeaseTasks poll) {
        if (!gateway.leads() || poll.taskTypes() == null || poll.taskTypes().isEmpty()) {
            return 0;
        }
        long now = sightings.leaderNow();
        long oldest = Long.MAX_VALUE;
        for (String type : poll.taskTypes()) {
            oldest = Math.min(oldest, sightings.lastPolled(type));
        }
        long dueIn = oldest + refreshAfterMs - now;
        return oldest <= 0 ? 0 : Math.max(0, dueIn);
    }

    /** False only where this node leads and its state shows that proposing {@code poll} would grant nothing. */
    boolean worthProposing(LeaseTasks poll) {
        return !gateway.leads() || state.local(current -> LeaseTasksRules.worthProposing(poll, current));
    }
}
