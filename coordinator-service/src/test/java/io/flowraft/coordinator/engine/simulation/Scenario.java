package io.flowraft.coordinator.engine.simulation;

import java.util.List;

/**
 * Everything one simulation run does, as plain data: the workflows it may submit and the actions it takes
 * before the drain. Actions name leases and workflows by pick numbers resolved at run time, so any sub-list
 * of the actions is a valid scenario too (which is what shrinking relies on).
 */
record Scenario(long seed, List<SimWorkflow> workflows, List<SimAction> actions) {

    Scenario {
        workflows = List.copyOf(workflows);
        actions = List.copyOf(actions);
    }

    Scenario withActions(List<SimAction> fewer) {
        return new Scenario(seed, workflows, fewer);
    }
}
