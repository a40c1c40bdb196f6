package io.flowraft.coordinator.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values one metric label takes: the first {@code max} distinct values this process meets keep their
 * name, every later one is reported as {@value #OTHER}. First come, first named, so each coordinator names the
 * same values as long as it met them in the same order (replicas applying the same log do); a restart starts
 * over. Task types and definition names come from clients: without a cap, a client could make every scrape
 * and Prometheus itself grow without bound.
 */
public final class LabelCap {

    public static final String OTHER = "other";

    private final int max;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    /** @param max how many distinct values keep their name; at least 1 */
    public LabelCap(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("A label cap must admit at least one value, was " + max);
        }
        this.max = max;
    }

    /** {@code value} if it has a name of its own (it has, once admitted), else {@value #OTHER}. */
    public String label(String value) {
        if (named.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (named.contains(value)) {
                return value;
            }
            if (named.size() < max) {
                named.add(value);
                return value;
            }
            return OTHER;
        }
    }

    /** How many values have a name of their own. */
    public int named() {
        return named.size();
    }
}
