package io.flowraft.coordinator.engine.model;

/**
 * A reference to a registered definition: {@code orders} (the latest version at the time the command
 * applies) or {@code orders@3}.
 *
 * @param version the version asked for, or 0 for the latest
 */
public record DefinitionRef(String name, int version) {

    public static final int LATEST = 0;

    public boolean isLatest() {
        return version == LATEST;
    }

    @Override
    public String toString() {
        return isLatest() ? name : name + "@" + version;
    }
}
