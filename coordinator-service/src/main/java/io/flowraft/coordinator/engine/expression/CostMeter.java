package io.flowraft.coordinator.engine.expression;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.navigation.TraversalOrder;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Meters one CEL evaluation and stops it when it exceeds its budget. cel-java 0.14.0 has no runtime cost
 * tracking (only {@code CelOptions.comprehensionMaxIterations}), so this listener, called by the
 * interpreter after every sub-expression it evaluates, implements the cost model described in
 * {@link Conditions}. Once the budget is exceeded every further callback throws, so the interpreter
 * unwinds without doing more work, and {@link #exceeded()} tells the caller to report a failure whatever
 * the interpreter returned (an error in one branch of {@code ||} would otherwise be absorbed).
 *
 * <p>Not thread-safe: one instance per evaluation. Deterministic: charges depend only on the program, the
 * activation and the order of evaluation, never on object identity: the identity map below only memoizes
 * sizes, which is sound because values are not mutated once built, except comprehension accumulators,
 * which are never sized.
 */
final class CostMeter implements CelEvaluationListener {

    /** Characters of a string (or bytes of a byte string) that cost one unit. */
    static final int CHARS_PER_UNIT = 8;
    /**
     * Regex program instructions that add one to the multiplier of the text a regex is matched against.
     * Every pattern is charged as if it had the largest program allowed: a pattern may be computed at
     * runtime, and RE2's program size is not visible through CEL.
     */
    static final int REGEX_INSTRUCTIONS_PER_UNIT = 100;

    /** Calls whose work does not grow with the size of their operands. */
    private static final Set<String> CHEAP_CALLS = Set.of(
            "_&&_", "_||_", "!_", "_?_:_", "@not_strictly_false", "_[_]", "size", "_+_", "-_", "dyn", "type");
    /** Calls that return (part of) an operand instead of building a new value. */
    private static final Set<String> SELECTING_CALLS = Set.of(
            "_&&_", "_||_", "!_", "_?_:_", "@not_strictly_false", "_[_]", "dyn");

    private final Plan plan;
    private final long maxCost;
    private final int maxIterations;
    private final IdentityHashMap<Object, Long> sizes = new IdentityHashMap<>();
    private long spent;
    private int iterations;
    private String exceeded;

    CostMeter(Plan plan, long maxCost, int maxIterations) {
        this.plan = plan;
        this.maxCost = maxCost;
        this.maxIterations = maxIterations;
    }

    /** The units spent so far. */
    long spent() {
        return spent;
    }

    /** Why the evaluation was stopped, or null if it stayed within its budget. */
    String exceeded() {
        return exceeded;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        if (exceeded != null) {
            throw new BudgetExceeded(exceeded);
        }
        long id = expr.id();
        long cost = 1;
        if (plan.loopConditions.contains(id) && ++iterations > maxIterations) {
            stop("evaluation stopped: comprehensions ran more than " + maxIterations + " iterations");
        }
        if (!plan.accumulatorValued.contains(id)) {
            if (plan.constructing.contains(id)) {
                cost = add(cost, sizeOf(value));
            }
            Long multiplier = plan.operandMultipliers.get(id);
            if (multiplier != null) {
                cost = add(cost, multiply(sizeOf(value), multiplier));
            }
        }
        spent = add(spent, cost);
        if (spent > maxCost) {
            stop("evaluation stopped: its cost exceeded the limit of " + maxCost + " units");
        }
    }

    private void stop(String reason) {
        exceeded = reason;
        throw new BudgetExceeded(reason);
    }

    /** The size of a value in cost units, counting everything it contains; memoized per container. */
    private long sizeOf(Object value) {
        return switch (value) {
            case null -> 0;
            case String s -> 1 + s.length() / CHARS_PER_UNIT;
            case CelByteString b -> 1 + b.size() / CHARS_PER_UNIT;
            case com.google.protobuf.ByteString b -> 1 + b.size() / CHARS_PER_UNIT;
            case List<?> list -> {
                Long known = sizes.get(list);
                if (known != null) {
                    yield known;
                }
                long size = 1;
                for (Object element : list) {
                    size = add(size, sizeOf(element));
                }
                sizes.put(list, size);
                yield size;
            }
            case Map<?, ?> map -> {
                Long known = sizes.get(map);
                if (known != null) {
                    yield known;
                }
                long size = 1;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    size = add(size, add(sizeOf(entry.getKey()), sizeOf(entry.getValue())));
                }
                sizes.put(map, size);
                yield size;
            }
            default -> 1;
        };
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** Thrown through the interpreter to stop an evaluation; carries no stack trace. */
    static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What the meter needs to know about one checked expression, computed once when it is compiled.
     * The sets are only queried, never iterated, so their hash order cannot leak into results.
     */
    static final class Plan {
        /** Loop conditions of comprehensions: each evaluation is one iteration. */
        final Set<Long> loopConditions = new HashSet<>();
        /**
         * Nodes whose value is a comprehension's accumulator (the list {@code map}/{@code filter} are
         * building, appended to in place): never sized, or a linear macro would be charged quadratically.
         */
        final Set<Long> accumulatorValued = new HashSet<>();
        /** Nodes that build a new value, charged that value's size. */
        final Set<Long> constructing = new HashSet<>();
        /** Operands of calls whose work grows with them, charged size times multiplier before the call. */
        final Map<Long, Long> operandMultipliers = new HashMap<>();
        /**
         * The ids of the upstream tasks the expression can observe, when it only reads {@code tasks.<id>} or
         * {@code tasks['<id>']} with literal ids; null when it uses {@code tasks} otherwise (iterates it,
         * indexes it with a computed key ...). Lets the caller skip converting outputs nobody reads.
         */
        Set<String> referencedTasks = new HashSet<>();

        static Plan of(CelAbstractSyntaxTree ast, int maxRegexProgramSize) {
            Plan plan = new Plan();
            CelNavigableExpr root = CelNavigableAst.fromAst(ast).getRoot();
            Set<String> accumulators = new HashSet<>();
            root.allNodes().forEach(node -> {
                CelExpr expr = node.expr();
                if (expr.exprKind().getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
                    CelComprehension comprehension = expr.comprehension();
                    accumulators.add(comprehension.accuVar());
                    plan.loopConditions.add(comprehension.loopCondition().id());
                    plan.accumulatorValued.add(comprehension.loopStep().id());
                }
            });
            // Post-order: a node's operands are classified before the node itself.
            root.allNodes(TraversalOrder.POST_ORDER).forEach(node -> {
                CelExpr expr = node.expr();
                switch (expr.exprKind().getKind()) {
                    case IDENT -> {
                        if (accumulators.contains(expr.ident().name())) {
                            plan.accumulatorValued.add(expr.id());
                        }
                        if (expr.ident().name().equals("tasks")) {
                            plan.noteTasksReference(node);
                        }
                    }
                    case CALL -> plan.classifyCall(expr, maxRegexProgramSize);
                    case CONSTANT, LIST, MAP, STRUCT, COMPREHENSION -> plan.constructing.add(expr.id());
                    default -> {
                        // SELECT and the rest only read values that already exist.
                    }
                }
            });
            return plan;
        }

        private void noteTasksReference(CelNavigableExpr tasks) {
            if (referencedTasks == null) {
                return;
            }
            CelExpr parent = tasks.parent().map(CelNavigableExpr::expr).orElse(null);
            if (parent != null && parent.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT
                    && parent.select().operand().id() == tasks.id()) {
                referencedTasks.add(parent.select().field());
                return;
            }
            if (parent != null && parent.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL
                    && parent.call().function().equals("_[_]") && parent.call().args().size() == 2
                    && parent.call().args().get(0).id() == tasks.id()) {
                CelExpr key = parent.call().args().get(1);
                if (key.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && key.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    referencedTasks.add(key.constant().stringValue());
                    return;
                }
            }
            referencedTasks = null;
        }

        private void classifyCall(CelExpr expr, int maxRegexProgramSize) {
            CelCall call = expr.call();
            String function = call.function();
            List<CelExpr> operands = new ArrayList<>(call.args().size() + 1);
            call.target().ifPresent(operands::add);
            operands.addAll(call.args());
            boolean touchesAccumulator = operands.stream().anyMatch(op -> accumulatorValued.contains(op.id()));
            if (touchesAccumulator && (function.equals("_+_") || function.equals("_?_:_"))) {
                accumulatorValued.add(expr.id());
            }
            if (!SELECTING_CALLS.contains(function)) {
                constructing.add(expr.id());
            }
            if (CHEAP_CALLS.contains(function)) {
                return;
            }
            for (CelExpr operand : operands) {
                if (!accumulatorValued.contains(operand.id())) {
                    operandMultipliers.put(operand.id(), 1L);
                }
            }
            if (function.equals("matches") && operands.size() == 2
                    && !accumulatorValued.contains(operands.get(0).id())) {
                operandMultipliers.put(operands.get(0).id(), 1L + maxRegexProgramSize / REGEX_INSTRUCTIONS_PER_UNIT);
            }
        }
    }
}
