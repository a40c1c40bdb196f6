package io.flowraft.coordinator.engine.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a failing scenario smaller while it keeps breaking the same invariant: cuts the actions after the
 * failing one, then removes chunks of actions (halving the chunk size when nothing more can go), then whole
 * workflows. Any sub-list is a valid scenario because actions pick their targets at run time. Bounded by a
 * number of re-runs, so it always ends; the result is a smaller failing scenario, not always a minimal one.
 */
final class Shrinker {

    private Shrinker() {
    }

    static Scenario shrink(Scenario scenario, SimulationFailure failure, int budget) {
        String invariant = failure.invariant();
        List<SimAction> actions = scenario.actions();
        if (failure.actionIndex() >= 0) {
            actions = actions.subList(0, failure.actionIndex() + 1);
        }
        Scenario best = scenario.withActions(actions);
        int runs = 0;
        int chunk = Math.max(1, best.actions().size() / 2);
        while (chunk >= 1 && runs < budget) {
            boolean removed = false;
            for (int start = 0; start < best.actions().size() && runs < budget; ) {
                List<SimAction> fewer = new ArrayList<>(best.actions());
                fewer.subList(start, Math.min(start + chunk, fewer.size())).clear();
                Scenario candidate = best.withActions(fewer);
                runs++;
                if (failsWith(candidate, invariant)) {
                    best = candidate;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        for (int w = best.workflows().size() - 1; w >= 0 && best.workflows().size() > 1 && runs < budget; w--) {
            List<SimWorkflow> fewer = new ArrayList<>(best.workflows());
            fewer.remove(w);
            Scenario candidate = new Scenario(best.seed(), fewer, best.actions());
            runs++;
            if (failsWith(candidate, invariant)) {
                best = candidate;
            }
        }
        return best;
    }

    /** Runs a scenario; the failure, or null when every invariant held. */
    static SimulationFailure run(Scenario scenario) {
        try {
            new Simulator(scenario).run();
            return null;
        } catch (SimulationFailure f) {
            return f;
        }
    }

    private static boolean failsWith(Scenario scenario, String invariant) {
        SimulationFailure f = run(scenario);
        return f != null && f.invariant().equals(invariant);
    }
}
