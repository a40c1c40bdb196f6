package io.flowraft.coordinator.engine.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Duration QUICKLY = Duration.ofSeconds(10);

    private final Conditions conditions = Conditions.defaults();

    private static SortedMap<String, UpstreamTask> noTasks() {
        return new TreeMap<>();
    }

    private static String numbers(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void shouldRunWhenConditionOverInputIsTrue() {
        // given
        String input = "{\"amount\":150,\"express\":true}";
        // when
        ConditionResult result = conditions.evaluate("input.amount > 100 && input.express", input, noTasks());
        // then
        assertThat(result).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldSkipWhenConditionIsFalse() {
        // given
        String input = "{\"amount\":50}";
        // when
        ConditionResult result = conditions.evaluate("input.amount > 100", input, noTasks());
        // then
        assertThat(result).isEqualTo(new ConditionResult.False());
    }

    @Test
    void shouldCompareIntegersWithDecimals() {
        // given a decimal amount and integer literals
        String input = "{\"amount\":150.5,\"count\":1.0}";
        // when
        ConditionResult result = conditions.evaluate("input.amount > 100 && input.count == 1", input, noTasks());
        // then
        assertThat(result).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldReadUpstreamOutputAndStatus() {
        // given a completed and a skipped upstream task
        SortedMap<String, UpstreamTask> tasks = new TreeMap<>();
        tasks.put("charge", new UpstreamTask("COMPLETED", "{\"approved\":true,\"lines\":[{\"sku\":\"a\"}]}", 2));
        tasks.put("notify", new UpstreamTask("SKIPPED", null, 0));
        // when
        ConditionResult reads = conditions.evaluate(
                "tasks.charge.status == 'COMPLETED' && tasks.charge.output.approved"
                        + " && tasks.charge.output.lines[0].sku == 'a' && tasks.charge.attempt == 2",
                "{}", tasks);
        ConditionResult skipped = conditions.evaluate(
                "tasks.notify.status == 'SKIPPED' && tasks.notify.output == null", "{}", tasks);
        ConditionResult falseOnOutput = conditions.evaluate("!tasks.charge.output.approved", "{}", tasks);
        // then
        assertThat(reads).isEqualTo(new ConditionResult.True());
        assertThat(skipped).isEqualTo(new ConditionResult.True());
        assertThat(falseOnOutput).isEqualTo(new ConditionResult.False());
    }

    @Test
    void shouldAcceptValidConditionsAtCheck() {
        // when checked, then no problem is reported
        assertThat(conditions.check("input.amount > 100")).isEmpty();
        assertThat(conditions.check("input.express")).isEmpty(); // dyn: must be a bool when evaluated
        assertThat(conditions.check("has(input.coupon) && input.items.exists(i, i.qty > 1)")).isEmpty();
        assertThat(conditions.check("tasks['fetch-user'].status == 'COMPLETED'")).isEmpty();
    }

    @Test
    void shouldRejectTypeErrorAtCheck() {
        // when
        var problem = conditions.check("1 + 'a' == 2");
        // then
        assertThat(problem).hasValueSatisfying(message ->
                assertThat(message).contains("found no matching overload for '_+_'").contains("1:3"));
    }

    @Test
    void shouldRejectNonBoolExpressionAtCheck() {
        // when an int, a string and a map are checked, then each is rejected
        assertThat(conditions.check("1 + 2")).hasValueSatisfying(message -> assertThat(message).contains("bool"));
        assertThat(conditions.check("'yes'")).isPresent();
        assertThat(conditions.check("tasks")).isPresent();
    }

    @Test
    void shouldReportPositionOfSyntaxError() {
        // when
        var problem = conditions.check("input.amount >");
        // then line 1, column 15, with a caret under it
        assertThat(problem).hasValueSatisfying(message -> assertThat(message).contains("1:15").contains("^"));
    }

    @Test
    void shouldRejectUnknownVariable() {
        // when a variable other than input and tasks is read, then the check names it
        assertThat(conditions.check("order.amount > 1")).hasValueSatisfying(message ->
                assertThat(message).contains("undeclared reference to 'order'"));
    }

    @Test
    void shouldRejectEmptyAndTooLongExpressions() {
        // when missing, blank or longer than the limit, then rejected at check and failed at evaluation
        assertThat(conditions.check(null)).isPresent();
        assertThat(conditions.check("  ")).isPresent();
        String tooLong = "true" + " && true".repeat(1000);
        assertThat(conditions.check(tooLong)).hasValueSatisfying(message -> assertThat(message).contains("4096"));
        assertThat(conditions.evaluate(tooLong, "{}", noTasks())).isInstanceOf(ConditionResult.Failed.class);
    }

    @Test
    void shouldNotOfferClockOrTimeZoneFunctions() {
        // given no clock, and time-zone names whose meaning depends on the JVM's time-zone data
        assertThat(conditions.check("now() > timestamp('2024-01-01T00:00:00Z')")).isPresent();
        assertThat(conditions.check("timestamp(input.at).getHours('Europe/Paris') == 1")).isPresent();
        // then UTC accessors remain
        assertThat(conditions.evaluate("timestamp(input.at).getHours() == 10",
                "{\"at\":\"2024-01-01T10:00:00Z\"}", noTasks())).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldFailInsteadOfThrowingWhenKeyIsMissing() {
        // when
        ConditionResult result = conditions.evaluate("input.missing == 1", "{\"amount\":1}", noTasks());
        // then
        assertThat(result).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("key 'missing'").contains("<input>:1:6"));
    }

    @Test
    void shouldFailWhenValuesHaveTheWrongTypeOrOverflow() {
        // when a string is compared with an int, an int overflows, or a dyn condition is not a bool, then Failed
        assertThat(conditions.evaluate("input.amount > 1", "{\"amount\":\"many\"}", noTasks()))
                .isInstanceOf(ConditionResult.Failed.class);
        assertThat(conditions.evaluate("input.n + 1 > 0", "{\"n\":9223372036854775807}", noTasks()))
                .isInstanceOfSatisfying(ConditionResult.Failed.class,
                        failed -> assertThat(failed.message()).contains("overflow"));
        assertThat(conditions.evaluate("input.flag", "{\"flag\":1}", noTasks()))
                .isEqualTo(new ConditionResult.Failed("the condition evaluated to an int, not to a bool"));
    }

    @Test
    void shouldFailOnMalformedJsonOrInvalidCondition() {
        // when the input, a read output or the condition itself is malformed, then Failed says which
        assertThat(conditions.evaluate("true", "{\"a\":", noTasks()))
                .isInstanceOfSatisfying(ConditionResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("the workflow input is not valid JSON"));
        SortedMap<String, UpstreamTask> tasks = new TreeMap<>();
        tasks.put("a", new UpstreamTask("COMPLETED", "{\"x\":1,\"x\":2}", 0));
        assertThat(conditions.evaluate("tasks.a.status == 'COMPLETED'", "{}", tasks))
                .isInstanceOfSatisfying(ConditionResult.Failed.class,
                        failed -> assertThat(failed.message()).contains("task 'a'").contains("Duplicate"));
        assertThat(conditions.evaluate("input.amount >", "{}", noTasks()))
                .isInstanceOfSatisfying(ConditionResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("invalid condition"));
    }

    @Test
    void shouldConvertOnlyTheOutputsAConditionCanSee() {
        // given a malformed output of task 'noisy'
        SortedMap<String, UpstreamTask> tasks = new TreeMap<>();
        tasks.put("noisy", new UpstreamTask("COMPLETED", "{not json", 0));
        tasks.put("ok", new UpstreamTask("COMPLETED", "{\"v\":1}", 0));
        // when a condition names only 'ok', and another iterates over every task
        ConditionResult namesOk = conditions.evaluate("tasks.ok.output.v == 1 && tasks['ok'].attempt == 0", "{}", tasks);
        ConditionResult iterates = conditions.evaluate("tasks.all(id, tasks[id].status == 'COMPLETED')", "{}", tasks);
        // then the first never reads 'noisy', the second has to
        assertThat(namesOk).isEqualTo(new ConditionResult.True());
        assertThat(iterates).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("task 'noisy'"));
    }

    @Test
    void shouldStopNestedComprehensionBomb() {
        // given 10^6 iterations written in a few hundred characters, and 10^9 over a large input
        String ten = numbers(10);
        String literalBomb = ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, "
                + ten + ".all(e, " + ten + ".all(f, true))))))";
        String inputBomb = "input.items.all(x, input.items.all(y, input.items.all(z, x + y + z >= 0)))";
        String input = "{\"items\":" + numbers(1000) + "}";
        assertThat(conditions.check(literalBomb)).isEmpty();
        // when
        ConditionResult literal = assertTimeoutPreemptively(QUICKLY,
                () -> conditions.evaluate(literalBomb, "{}", noTasks()));
        ConditionResult overInput = assertTimeoutPreemptively(QUICKLY,
                () -> conditions.evaluate(inputBomb, input, noTasks()));
        // then
        assertThat(literal).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).containsAnyOf("iterations", "cost"));
        assertThat(overInput).isInstanceOf(ConditionResult.Failed.class);
    }

    @Test
    void shouldStopBombEvenWhenItsErrorWouldBeAbsorbedByOr() {
        // given CEL's "error || true" is true; a budget overrun must not be absorbed that way
        String expression = "input.items.all(x, input.items.all(y, x + y >= 0)) || true";
        // when
        ConditionResult result = assertTimeoutPreemptively(QUICKLY,
                () -> conditions.evaluate(expression, "{\"items\":" + numbers(1000) + "}", noTasks()));
        // then
        assertThat(result).isInstanceOf(ConditionResult.Failed.class);
    }

    @Test
    void shouldStopStringDoublingBomb() {
        // given each level doubles a string: 16 * 2^40 characters if nothing stopped it
        String expression = doubling("'abcdefghijklmnop'", 40, "size(v40) > 0");
        assertThat(conditions.check(expression)).isEmpty();
        // when
        ConditionResult result = assertTimeoutPreemptively(QUICKLY,
                () -> conditions.evaluate(expression, "{}", noTasks()));
        // then
        assertThat(result).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("cost"));
    }

    @Test
    void shouldStopSharedListDoublingBomb() {
        // given lists that share their halves: cheap to build, 2^40 elements to compare
        StringBuilder expression = new StringBuilder();
        int levels = 40;
        expression.append("[[1]].all(v0, ");
        for (int i = 1; i <= levels; i++) {
            expression.append("[[v").append(i - 1).append(", v").append(i - 1).append("]].all(v").append(i).append(", ");
        }
        expression.append("v").append(levels).append(" == v").append(levels).append(")".repeat(levels + 1));
        assertThat(conditions.check(expression.toString())).isEmpty();
        // when
        ConditionResult result = assertTimeoutPreemptively(QUICKLY,
                () -> conditions.evaluate(expression.toString(), "{}", noTasks()));
        // then
        assertThat(result).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("cost"));
    }

    @Test
    void shouldChargeComparisonsByTheSizeOfTheirOperands() {
        // given 1,000 iterations that each walk a 10,000-element list: few nodes, much work
        String input = "{\"items\":" + numbers(1000) + ",\"big\":" + numbers(10_000) + "}";
        // when
        ConditionResult membership = conditions.evaluate("input.items.all(x, x in input.big)", input, noTasks());
        ConditionResult equality = conditions.evaluate("input.items.all(x, input.big == input.big)", input, noTasks());
        ConditionResult once = conditions.evaluate("999 in input.big && input.big == input.big", input, noTasks());
        // then the loops exceed the budget, a single walk does not
        assertThat(membership).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("cost"));
        assertThat(equality).isInstanceOfSatisfying(ConditionResult.Failed.class,
                failed -> assertThat(failed.message()).contains("cost"));
        assertThat(once).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldChargeMapAndFilterLinearly() {
        // given 20,000 elements: a quadratic charge for the growing result list would exceed the budget
        String input = "{\"items\":" + numbers(20_000) + "}";
        // when
        ConditionResult result = conditions.evaluate(
                "input.items.map(x, x * 2).filter(x, x % 4 == 0).size() == 10000", input, noTasks());
        // then
        assertThat(result).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldKeepJsonMemberOrder() {
        // given members in non-alphabetical order
        String input = "{\"m\":{\"zeta\":1,\"alpha\":2,\"mid\":3}}";
        // when
        ConditionResult result = conditions.evaluate("input.m.map(k, k) == ['zeta', 'alpha', 'mid']", input, noTasks());
        // then
        assertThat(result).isEqualTo(new ConditionResult.True());
    }

    @Test
    void shouldGiveSameResultsAcrossFreshInstances() {
        // given a mix of true, false and failing conditions, including budget overruns
        String input = "{\"amount\":150.5,\"items\":" + numbers(500) + ",\"m\":{\"b\":1,\"a\":2},\"s\":\"x\"}";
        SortedMap<String, UpstreamTask> tasks = new TreeMap<>();
        tasks.put("a", new UpstreamTask("COMPLETED", "{\"ok\":true}", 1));
        List<String> expressions = List.of(
                "input.amount > 100",
                "input.m.map(k, k)[0] == 'b'",
                "input.items.exists(i, i == 499)",
                "input.items.all(x, input.items.all(y, x != y || x == y))",
                "input.nope",
                "string(input.amount) == '150.5'",
                "input.s + input.s == 'xx' && tasks.a.output.ok",
                "[input.s].all(a, [a + a].all(b, [b + b].all(c, size(c) == 4)))");
        // when evaluated by two independent instances with the same (small) limits, one without a cache
        List<ConditionResult> first = new ArrayList<>();
        List<ConditionResult> second = new ArrayList<>();
        Conditions one = new Conditions(new ConditionLimits(4096, 50_000, 10_000, 16));
        Conditions other = new Conditions(new ConditionLimits(4096, 50_000, 10_000, 0));
        for (String expression : expressions) {
            first.add(one.evaluate(expression, input, tasks));
            second.add(other.evaluate(expression, input, tasks));
        }
        for (String expression : expressions) { // and again, from one's cache
            second.add(other.evaluate(expression, input, tasks));
            first.add(one.evaluate(expression, input, tasks));
        }
        // then
        assertThat(second).isEqualTo(first);
        assertThat(first.subList(0, expressions.size())).isEqualTo(first.subList(expressions.size(), first.size()));
        assertThat(first).filteredOn(r -> r instanceof ConditionResult.Failed).hasSize(4);
    }

    /** {@code [seed].all(v0, [v0 + v0].all(v1, ... body))}: each level doubles the value. */
    private static String doubling(String seed, int levels, String body) {
        StringBuilder expression = new StringBuilder("[" + seed + "].all(v0, ");
        for (int i = 1; i <= levels; i++) {
            expression.append("[v").append(i - 1).append(" + v").append(i - 1).append("].all(v").append(i).append(", ");
        }
        return expression.append(body).append(")".repeat(levels + 1)).toString();
    }
}
