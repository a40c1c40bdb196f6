package io.flowraft.coordinator.engine.simulation;

import io.flowraft.contracts.TaskStatus;

/**
 * A {@code when} condition the generator can write both as CEL and as Java, so the simulation knows what the
 * engine should decide without asking the engine. Every form is total over what the simulation produces
 * (workflow input {@code {"flag":bool,"n":int}}, outputs {@code {"v":int}}), so a correct engine never
 * fails to evaluate one; only direct dependencies are read, and they are terminal when a condition is judged.
 */
sealed interface SimCondition {

    /** The condition as the engine gets it. */
    String cel();

    /** What the engine should decide, given the input and the dependencies as they ended. */
    boolean holds(SimInput input, Upstream upstream);

    /** What a condition may read of a terminal dependency. */
    interface Upstream {
        TaskStatus status(String taskId);

        /** The {@code v} of the output, or null when the task has no output. */
        Integer outputValue(String taskId);

        int attempt(String taskId);
    }

    /** {@code input.flag} or {@code !input.flag}. */
    record InputFlag(boolean negated) implements SimCondition {
        @Override
        public String cel() {
            return negated ? "!input.flag" : "input.flag";
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            return input.flag() != negated;
        }
    }

    /** {@code input.n > k}. */
    record InputAbove(int k) implements SimCondition {
        @Override
        public String cel() {
            return "input.n > " + k;
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            return input.n() > k;
        }
    }

    /** {@code tasks.t0.status == "COMPLETED"}, or the same with {@code tasks['t0']}. */
    record StatusIs(String taskId, TaskStatus status, boolean indexSyntax) implements SimCondition {
        @Override
        public String cel() {
            String ref = indexSyntax ? "tasks['" + taskId + "']" : "tasks." + taskId;
            return ref + ".status == \"" + status.name() + "\"";
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            return upstream.status(taskId) == status;
        }
    }

    /** {@code tasks.t0.status == "COMPLETED" && tasks.t0.output.v > k}: guarded, as a skipped task has no output. */
    record OutputAbove(String taskId, int k) implements SimCondition {
        @Override
        public String cel() {
            return "tasks." + taskId + ".status == \"COMPLETED\" && tasks." + taskId + ".output.v > " + k;
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            Integer v = upstream.outputValue(taskId);
            return upstream.status(taskId) == TaskStatus.COMPLETED && v != null && v > k;
        }
    }

    /** {@code tasks.t0.attempt >= k}: whether the dependency needed retries. */
    record AttemptAtLeast(String taskId, int k) implements SimCondition {
        @Override
        public String cel() {
            return "tasks." + taskId + ".attempt >= " + k;
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            return upstream.attempt(taskId) >= k;
        }
    }

    /** {@code input.flag || tasks.t0.status == "SKIPPED"}: mixes input and upstream in one expression. */
    record FlagOrSkipped(String taskId) implements SimCondition {
        @Override
        public String cel() {
            return "input.flag || tasks." + taskId + ".status == \"SKIPPED\"";
        }

        @Override
        public boolean holds(SimInput input, Upstream upstream) {
            return input.flag() || upstream.status(taskId) == TaskStatus.SKIPPED;
        }
    }
}
