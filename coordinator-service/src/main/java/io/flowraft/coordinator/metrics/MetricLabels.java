package io.flowraft.coordinator.metrics;

/**
 * The bounded labels of the workflow and task metrics.
 *
 * @param types       task types ({@code type})
 * @param definitions definition names, without version ({@code definition})
 */
public record MetricLabels(LabelCap types, LabelCap definitions) {

    /** The label of workflows started from an inline DAG rather than a registered definition. */
    public static final String INLINE = "inline";

    /** {@code name} of a {@code name@version} reference; {@value #INLINE} for none. */
    public String definition(String definitionRef) {
        if (definitionRef == null) {
            return INLINE;
        }
        int at = definitionRef.lastIndexOf('@');
        return definitions.label(at < 0 ? definitionRef : definitionRef.substring(0, at));
    }

    public String type(String type) {
        return types.label(type);
    }
}
