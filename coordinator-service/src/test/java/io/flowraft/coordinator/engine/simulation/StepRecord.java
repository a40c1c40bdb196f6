package io.flowraft.coordinator.engine.simulation;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.Command;

/**
 * What one command did on both replicas, with the state around it: everything an invariant may look at.
 *
 * @param nextDueTime        the main replica's {@code nextDueTime()} after the command
 * @param shadowNextDueTime  the shadow's; compared only while the clock never went back
 */
record StepRecord(
        Command command,
        CommandResult result,
        CommandResult shadowResult,
        Observation before,
        Observation after,
        String digestBefore,
        String digestAfter,
        String shadowDigest,
        long appliedIndex,
        long shadowAppliedIndex,
        long nextDueTime,
        long shadowNextDueTime,
        boolean clockMonotonic) {
}
