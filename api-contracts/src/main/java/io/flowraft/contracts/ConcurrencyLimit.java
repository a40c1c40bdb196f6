package io.flowraft.contracts;

/**
 * Caps how many tasks sharing a key may be leased at the same time, across all workflows: a task whose key is
 * at its cap stays READY until another task with that key finishes. Use it to protect a downstream system
 * (one key per system) whatever the number of workers.
 *
 * @param key the shared key, non-blank; tasks of different types and workflows may share it
 * @param max how many tasks with this key may hold a lease at once, at least 1
 */
public record ConcurrencyLimit(String key, Integer max) {
}
