package io.flowraft.bench.peer;

import java.io.Serializable;

/**
 * The data of one {@code chain-step} execution: which workflow it belongs to and which of its steps it is
 * (1 to {@link #STEPS}). db-scheduler stores it in {@code task_data} with its default serializer (Java
 * serialization), as a user who adopts it unchanged would.
 */
public record ChainStep(int workflow, int step) implements Serializable {

    /** Steps per workflow, as in FlowRaft's {@code chain} shape. */
    public static final int STEPS = 10;

    public ChainStep {
        if (workflow < 0 || step < 1 || step > STEPS) {
            throw new IllegalArgumentException("no such step: workflow " + workflow + ", step " + step);
        }
    }

    /** The first step of a workflow. */
    static ChainStep first(int workflow) {
        return new ChainStep(workflow, 1);
    }

    boolean last() {
        return step == STEPS;
    }

    ChainStep next() {
        return new ChainStep(workflow, step + 1);
    }

    /**
     * The execution's task instance id: unique per step, so a step scheduled through the client while its
     * predecessor's row still exists does not collide with it.
     */
    String instanceId() {
        return workflow + "-" + step;
    }
}
