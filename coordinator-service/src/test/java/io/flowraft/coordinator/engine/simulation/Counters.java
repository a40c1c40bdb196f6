package io.flowraft.coordinator.engine.simulation;

import java.util.Map;
import java.util.TreeMap;

/** How often each interesting thing happened, to show (and assert) that the simulation reaches it. */
final class Counters {

    private final TreeMap<String, Long> counts = new TreeMap<>();

    void add(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    void addAll(Counters other) {
        other.counts.forEach((name, n) -> counts.merge(name, n, Long::sum));
    }

    long get(String name) {
        return counts.getOrDefault(name, 0L);
    }

    Map<String, Long> asMap() {
        return java.util.Collections.unmodifiableSortedMap(counts);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
