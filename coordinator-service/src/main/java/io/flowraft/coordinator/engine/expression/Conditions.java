package io.flowraft.coordinator.engine.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelStandardFunctions;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles and evaluates the {@code when} conditions of tasks: CEL expressions that decide whether a task
 * runs ({@code true}) or is skipped ({@code false}).
 *
 * <h2>What a condition sees</h2>
 * <ul>
 *   <li>{@code input} ({@code dyn}): the workflow input.</li>
 *   <li>{@code tasks} ({@code map(string, map(string, dyn))}): one entry per upstream task, keyed by task id,
 *       each a map with {@code status} (string, e.g. {@code "COMPLETED"}, {@code "SKIPPED"}),
 *       {@code output} (the task's JSON output, {@code null} when it has none) and {@code attempt} (int).
 *       Example: {@code tasks.charge.status == "COMPLETED" && tasks.charge.output.amount > 100}.</li>
 * </ul>
 * JSON becomes CEL values this way: objects are maps (member order kept), arrays lists, integers that fit in
 * 64 bits {@code int}, other numbers {@code double}, strings, booleans and {@code null}. Comparisons between
 * {@code int} and {@code double} are allowed, so {@code input.amount > 100} works for {@code 150.5} too.
 *
 * <p>A condition must type-check to {@code bool}; an expression of type {@code dyn} (such as
 * {@code input.enabled}) is accepted and must yield a bool when evaluated. Reading a key that is absent
 * ({@code input.missing}) is an evaluation error: test with {@code has(input.missing)} first.
 *
 * <h2>Determinism</h2>
 * Only the standard CEL functions and macros ({@code has}, {@code all}, {@code exists},
 * {@code exists_one}, {@code map}, {@code filter}) are available: no extension libraries and no custom
 * functions, so nothing reads a clock, randomness or the environment (CEL has no {@code now()}). The
 * timestamp accessors that take a time-zone name ({@code getHours("Europe/Paris")} ...) are removed because
 * their result depends on the JVM's time-zone database; the UTC forms remain. Integer overflow is an error.
 *
 * <h2>Bounds</h2>
 * cel-java 0.14.0 offers {@code comprehensionMaxIterations} (iterations summed over one evaluation) and
 * parser limits, but no runtime cost tracking; the cost bound is therefore enforced by a
 * {@link dev.cel.runtime.CelEvaluationListener} that the interpreter calls after every sub-expression.
 * An evaluation fails with {@link ConditionResult.Failed} when it exceeds {@link ConditionLimits#maxCost()}
 * units, where
 * <ul>
 *   <li>every evaluated sub-expression costs 1;</li>
 *   <li>a sub-expression that builds a value (a literal, a function result, a {@code map}/{@code filter}
 *       result) also costs that value's size: 1 per list element or map entry, recursively, and 1 per
 *       {@value CostMeter#CHARS_PER_UNIT} characters of a string or bytes (so doubling a value again and
 *       again is stopped long before it exhausts memory);</li>
 *   <li>before a function whose work grows with its arguments runs ({@code ==}, {@code in},
 *       {@code contains}, conversions ...), each argument costs its size again; a string matched by
 *       {@code matches} costs its size times 1 + (largest regex program / 100).</li>
 * </ul>
 * It also fails after {@link ConditionLimits#maxIterations()} comprehension iterations (CEL's own
 * {@code comprehensionMaxIterations} is set one higher as a backstop). With the defaults
 * ({@value ConditionLimits#DEFAULT_MAX_COST} units, {@value ConditionLimits#DEFAULT_MAX_ITERATIONS}
 * iterations) the worst case is a fraction of a second. Expressions are limited to
 * {@link ConditionLimits#maxExpressionLength()} characters and a nesting depth of
 * {@value #MAX_NESTING_DEPTH}; regular expressions to programs of {@value #MAX_REGEX_PROGRAM_SIZE}
 * instructions. Every replica must use the same limits.
 *
 * <p>Thread-safe. Compiled programs are cached by expression text (least recently used first out), which
 * changes speed, never results. Never throws for user input: problems come back as messages.
 */
public final class Conditions {

    /** Deepest nesting of a parsed expression; keeps evaluation far from the end of any thread's stack. */
    static final int MAX_NESTING_DEPTH = 100;
    /** Largest RE2 program a {@code matches} pattern may compile to. */
    static final int MAX_REGEX_PROGRAM_SIZE = 1000;

    private static final Pattern EVALUATION_ERROR_AT = Pattern.compile("evaluation error at <input>:(\\d{1,9}):");

    private final ConditionLimits limits;
    private final Cel cel;
    private final Map<String, Compiled> cache;

    public Conditions(ConditionLimits limits) {
        this.limits = limits;
        this.cel = newCel(limits);
        int capacity = limits.cacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Conditions with {@link ConditionLimits#defaults()}. */
    public static Conditions defaults() {
        return new Conditions(ConditionLimits.defaults());
    }

    public ConditionLimits limits() {
        return limits;
    }

    /**
     * Parses and type-checks a condition, as done when a definition is registered or a workflow submitted.
     *
     * @return the reason the condition is invalid (CEL's messages carry line, column and a caret), or empty
     */
    public Optional<String> check(String expression) {
        return compile(expression) instanceof Compiled.Invalid invalid
                ? Optional.of(invalid.message())
                : Optional.empty();
    }

    /**
     * Evaluates a condition.
     *
     * @param expression        the condition; an invalid one yields {@link ConditionResult.Failed}
     * @param workflowInputJson the workflow input as JSON text, seen as {@code input} (null is CEL null)
     * @param tasks             the upstream tasks by id, seen as {@code tasks}
     */
    public ConditionResult evaluate(String expression, String workflowInputJson, SortedMap<String, UpstreamTask> tasks) {
        return evaluate(expression, workflowInputJson, tasks, new ParsedJson(), ConditionBudget.unlimited());
    }

    /**
     * As {@link #evaluate(String, String, SortedMap)}, for one of many evaluations of a command: the documents it
     * reads are parsed through {@code parsed}, shared between them, and it spends from {@code budget}, which they
     * share too. An evaluation the budget stops fails with a message that says the command's budget ran out.
     */
    public ConditionResult evaluate(String expression, String workflowInputJson, SortedMap<String, UpstreamTask> tasks,
            ParsedJson parsed, ConditionBudget budget) {
        Compiled compiled = compile(expression);
        if (compiled instanceof Compiled.Invalid invalid) {
            return new ConditionResult.Failed("invalid condition: " + invalid.message());
        }
        Compiled.Program program = (Compiled.Program) compiled;
        Map<String, Object> variables = new HashMap<>(4); // looked up by name only
        try {
            variables.put("input", parsed.cel(workflowInputJson));
        } catch (JsonText.MalformedJsonException e) {
            return new ConditionResult.Failed("the workflow input is not valid JSON: " + e.getMessage());
        }
        Map<String, Object> upstream = new LinkedHashMap<>();
        Set<String> observed = program.plan().referencedTasks; // null: the expression may look at every task
        if (tasks != null) {
            for (Map.Entry<String, UpstreamTask> entry : tasks.entrySet()) {
                UpstreamTask task = entry.getValue();
                if (task == null || (observed != null && !observed.contains(entry.getKey()))) {
                    continue; // unobservable: its output need not be converted
                }
                Map<String, Object> view = new LinkedHashMap<>(4);
                view.put("status", task.status() == null ? NullValue.NULL_VALUE : task.status());
                try {
                    view.put("output", parsed.cel(task.outputJson()));
                } catch (JsonText.MalformedJsonException e) {
                    return new ConditionResult.Failed(
                            "the output of task '" + entry.getKey() + "' is not valid JSON: " + e.getMessage());
                }
                view.put("attempt", (long) task.attempt());
                upstream.put(entry.getKey(), Collections.unmodifiableMap(view));
            }
        }
        variables.put("tasks", Collections.unmodifiableMap(upstream));

        long allowed = Math.min(limits.maxCost(), budget.remaining());
        CostMeter meter = new CostMeter(program.plan(), allowed, limits.maxIterations());
        Object result;
        try {
            result = program.program().trace(variables, meter);
        } catch (CelEvaluationException e) {
            return new ConditionResult.Failed(
                    stopped(meter, allowed, budget) != null ? stopped(meter, allowed, budget)
                            : withLineAndColumn(e.getMessage(), expression));
        } catch (RuntimeException e) {
            // The interpreter wraps failures in CelEvaluationException; this is a last line of defence.
            return new ConditionResult.Failed(stopped(meter, allowed, budget) != null ? stopped(meter, allowed, budget)
                    : "evaluation failed: " + e);
        } finally {
            budget.spend(meter.spent());
        }
        if (meter.exceeded() != null) {
            return new ConditionResult.Failed(stopped(meter, allowed, budget));
        }
        if (result instanceof Boolean value) {
            return ConditionResult.of(value);
        }
        return new ConditionResult.Failed("the condition evaluated to " + describe(result) + ", not to a bool");
    }

    /** Why the meter stopped the evaluation, naming the command's budget when that was the bound; or null. */
    private String stopped(CostMeter meter, long allowed, ConditionBudget budget) {
        if (meter.exceeded() == null) {
            return null;
        }
        if (allowed < limits.maxCost() && meter.exceeded().contains("cost")) {
            budget.ranOut();
            return "evaluation stopped: the conditions one command evaluates share a budget of cost units, and it ran"
                    + " out (resolving many tasks with costly conditions at once)";
        }
        return meter.exceeded();
    }

    private Compiled compile(String expression) {
        if (expression == null || expression.isBlank()) {
            return new Compiled.Invalid("the condition is empty");
        }
        if (expression.length() > limits.maxExpressionLength()) {
            return new Compiled.Invalid("the condition is " + expression.length() + " characters long; at most "
                    + limits.maxExpressionLength() + " are allowed");
        }
        synchronized (cache) {
            Compiled cached = cache.get(expression);
            if (cached != null) {
                return cached;
            }
        }
        Compiled compiled = compileUncached(expression);
        synchronized (cache) {
            cache.put(expression, compiled);
        }
        return compiled;
    }

    private Compiled compileUncached(String expression) {
        try {
            CelValidationResult validation = cel.compile(expression);
            if (validation.hasError()) {
                return new Compiled.Invalid(validation.getErrorString());
            }
            CelAbstractSyntaxTree ast = validation.getAst();
            return new Compiled.Program(cel.createProgram(ast), CostMeter.Plan.of(ast, MAX_REGEX_PROGRAM_SIZE));
        } catch (Exception e) {
            // CEL reports problems through the validation result; anything else is still the expression's fault.
            return new Compiled.Invalid("the condition could not be compiled: " + e.getMessage());
        }
    }

    private static Cel newCel(ConditionLimits limits) {
        CelOptions options = CelOptions.current()
                .maxExpressionCodePointSize(limits.maxExpressionLength())
                .maxParseRecursionDepth(MAX_NESTING_DEPTH)
                .comprehensionMaxIterations(limits.maxIterations() + 1)
                .maxRegexProgramSize(MAX_REGEX_PROGRAM_SIZE)
                .enableHeterogeneousNumericComparisons(true)
                .errorOnIntWrap(true)
                .errorOnDuplicateMapKeys(true)
                .enableOptionalSyntax(false)
                .build();
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setStandardEnvironmentEnabled(false)
                .setStandardDeclarations(CelStandardDeclarations.newBuilder()
                        .filterFunctions((function, overload) -> !isTimeZoneDependent(overload.celOverloadDecl().overloadId()))
                        .build())
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .filterFunctions((function, overload) -> !(overload instanceof Enum<?> e && isTimeZoneDependent(e.name())))
                        .build())
                .addVar("input", SimpleType.DYN)
                .addVar("tasks", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.DYN)))
                .setResultType(SimpleType.BOOL)
                .build();
    }

    private static boolean isTimeZoneDependent(String overloadName) {
        return overloadName.toLowerCase(Locale.ROOT).endsWith("_with_tz");
    }

    /**
     * Rewrites the character offset of cel-java's evaluation errors ({@code "evaluation error at <input>:5:
     * ..."}) as the line and column its compile errors use ({@code "<input>:1:6: ..."}).
     */
    static String withLineAndColumn(String message, String expression) {
        if (message == null) {
            return "evaluation failed";
        }
        Matcher matcher = EVALUATION_ERROR_AT.matcher(message);
        if (!matcher.lookingAt()) {
            return message;
        }
        int offset;
        try {
            offset = Integer.parseInt(matcher.group(1));
        } catch (NumberFormatException e) {
            return message;
        }
        if (offset < 0 || offset > expression.length()) {
            return message;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (expression.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "evaluation error at <input>:" + line + ":" + (offset - lineStart + 1) + ":"
                + message.substring(matcher.end());
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case NullValue ignored -> "null";
            case String ignored -> "a string";
            case Long ignored -> "an int";
            case Double ignored -> "a double";
            case List<?> ignored -> "a list";
            case Map<?, ?> ignored -> "a map";
            default -> "a value of type " + value.getClass().getSimpleName();
        };
    }

    /** A cache entry: the compiled program, or why the expression is invalid. */
    private sealed interface Compiled {
        record Program(CelRuntime.Program program, CostMeter.Plan plan) implements Compiled {
        }

        record Invalid(String message) implements Compiled {
        }
    }
}
