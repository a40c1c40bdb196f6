package io.flowraft.worker.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one 3-coordinator cluster for the whole run (starting one costs seconds); JUnit closes it,
 * and deletes its data dirs, when the run ends. Tests that harm the cluster (stop a node) start their own.
 * Tests sharing it use task types of their own, so no test's worker takes another's tasks.
 */
final class SharedCluster implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CoordinatorCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(Namespace.create(SharedCluster.class))
                .computeIfAbsent("cluster", key -> CoordinatorCluster.start(3), CoordinatorCluster.class);
    }
}
