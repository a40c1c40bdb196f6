package io.flowraft.coordinator.engine.expression;

/**
 * Bounds on what a {@code when} condition may cost. Every replica must use the same limits, since a limit
 * decides whether an evaluation yields a value or {@link ConditionResult.Failed}.
 *
 * @param maxExpressionLength longest accepted expression, in UTF-16 chars
 * @param maxCost             evaluation budget in cost units (see {@link Conditions} for the cost model)
 * @param maxIterations       most comprehension iterations ({@code all}, {@code exists}, {@code map}, ...)
 *                            one evaluation may run, summed over all comprehensions
 * @param cacheSize           how many compiled expressions to keep; affects speed only, never results
 */
public record ConditionLimits(int maxExpressionLength, long maxCost, int maxIterations, int cacheSize) {

    public static final int DEFAULT_MAX_EXPRESSION_LENGTH = 4096;
    public static final long DEFAULT_MAX_COST = 1_000_000;
    public static final int DEFAULT_MAX_ITERATIONS = 100_000;
    public static final int DEFAULT_CACHE_SIZE = 1024;

    public ConditionLimits {
        if (maxExpressionLength < 1 || maxCost < 1 || maxIterations < 1 || cacheSize < 0) {
            throw new IllegalArgumentException("limits must be positive (cacheSize may be 0), got maxExpressionLength="
                    + maxExpressionLength + ", maxCost=" + maxCost + ", maxIterations=" + maxIterations
                    + ", cacheSize=" + cacheSize);
        }
        if (maxIterations == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxIterations must be below Integer.MAX_VALUE");
        }
    }

    public static ConditionLimits defaults() {
        return new ConditionLimits(DEFAULT_MAX_EXPRESSION_LENGTH, DEFAULT_MAX_COST, DEFAULT_MAX_ITERATIONS,
                DEFAULT_CACHE_SIZE);
    }
}
