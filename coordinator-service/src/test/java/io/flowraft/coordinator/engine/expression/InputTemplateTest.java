package io.flowraft.coordinator.engine.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InputTemplateTest {

    private static final String INPUT = "{\"customer\":{\"id\":\"c-7\",\"vip\":true},\"amount\":12.50,"
            + "\"big\":123456789012345678901234567890,\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}],"
            + "\"postal code\":\"75001\",\"note\":null}";

    private static SortedMap<String, String> outputs(String... idAndJson) {
        SortedMap<String, String> outputs = new TreeMap<>();
        for (int i = 0; i < idAndJson.length; i += 2) {
            outputs.put(idAndJson[i], idAndJson[i + 1]);
        }
        return outputs;
    }

    private static String rendered(String template, String input, SortedMap<String, String> outputs) {
        RenderResult result = InputTemplate.render(template, input, outputs);
        assertThat(result).isInstanceOf(RenderResult.Rendered.class);
        return ((RenderResult.Rendered) result).json();
    }

    private static String rendered(String template) {
        return rendered(template, INPUT, outputs());
    }

    @Test
    void shouldSubstituteWholeValueKeepingItsType() {
        // given strings that are exactly one placeholder
        String template = "{\"id\":\"${input.customer.id}\",\"amount\":\"${input.amount}\",\"customer\":\"${input.customer}\","
                + "\"vip\":\"${input.customer.vip}\",\"items\":\"${input.items}\",\"big\":\"${input.big}\"}";
        // when
        String json = rendered(template);
        // then numbers keep their exact text, objects and arrays stay structured
        assertThat(json).isEqualTo("{\"id\":\"c-7\",\"amount\":12.50,\"customer\":{\"id\":\"c-7\",\"vip\":true},"
                + "\"vip\":true,\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}],\"big\":123456789012345678901234567890}");
    }

    @Test
    void shouldSubstituteWholeInputAtTheRoot() {
        // when the template is a single placeholder string, then the rendered input is the referenced value
        assertThat(rendered("\"${input}\"", "{\"a\":[1,2.0]}", outputs())).isEqualTo("{\"a\":[1,2.0]}");
    }

    @Test
    void shouldInterpolatePlaceholdersInsideLongerStrings() {
        // given strings, numbers, objects and null placed inside text
        String template = "{\"text\":\"order for ${input.customer.id}: ${input.amount} EUR, vip=${input.customer.vip},"
                + " first=${input.items[0]}, note=${input.note}\"}";
        // when
        String json = rendered(template);
        // then strings are inserted as is, everything else as compact JSON
        assertThat(json).isEqualTo("{\"text\":\"order for c-7: 12.50 EUR, vip=true, first={\\\"sku\\\":\\\"a\\\"},"
                + " note=null\"}");
    }

    @Test
    void shouldTreatDoubleDollarAsLiteralPlaceholderStart() {
        // given an escaped placeholder, next to a real one, and lone dollars
        String template = "[\"$${input.amount}\",\"costs $5 or $${x} or ${input.amount}\",\"$$\",\"$\"]";
        // when
        String json = rendered(template);
        // then
        assertThat(json).isEqualTo("[\"${input.amount}\",\"costs $5 or ${x} or 12.50\",\"$$\",\"$\"]");
    }

    @Test
    void shouldIndexArraysAndQuoteOddMemberNames() {
        // when paths index an array and quote a name with a space, then the elements and members are found
        assertThat(rendered("[\"${input.items[1].sku}\",\"${input['postal code']}\",\"${input['customer'].id}\"]"))
                .isEqualTo("[\"b\",\"75001\",\"c-7\"]");
    }

    @Test
    void shouldRenderNullForPathsThatLeadNowhere() {
        // given a missing member, an index past the end, a step into a string, and a task without output
        String template = "[\"${input.missing}\",\"${input.items[9]}\",\"${input.customer.id.length}\","
                + "\"${input.customer[0]}\",\"${tasks.skipped.output.id}\",\"${tasks.absent.output}\",\"x${input.nope}\"]";
        SortedMap<String, String> outputs = new TreeMap<>();
        outputs.put("skipped", null);
        // when
        String json = rendered(template, INPUT, outputs);
        // then
        assertThat(json).isEqualTo("[null,null,null,null,null,null,\"xnull\"]");
    }

    @Test
    void shouldReadUpstreamOutputs() {
        // given
        String template = "{\"user\":\"${tasks.fetch-user.output.name}\",\"all\":\"${tasks.score.output}\","
                + "\"msg\":\"${tasks.fetch-user.output.name} scored ${tasks.score.output.value}\"}";
        // when
        String json = rendered(template, "{}", outputs("fetch-user", "{\"name\":\"Ada\"}", "score", "{\"value\":0.9}"));
        // then
        assertThat(json).isEqualTo("{\"user\":\"Ada\",\"all\":{\"value\":0.9},\"msg\":\"Ada scored 0.9\"}");
    }

    @Test
    void shouldNotTemplateObjectKeys() {
        // when a key looks like a placeholder, then only the value is substituted
        assertThat(rendered("{\"${input.amount}\":\"${input.amount}\"}")).isEqualTo("{\"${input.amount}\":12.50}");
    }

    @Test
    void shouldDecodeJsonEscapesBeforeLookingForPlaceholders() {
        // given a placeholder whose dollar sign is written as a JSON escape
        String template = "{\"a\":\"\\u0024{input.amount}\"}";
        // then it is a placeholder like any other
        assertThat(InputTemplate.mayContainPlaceholders(template)).isTrue();
        assertThat(rendered(template)).isEqualTo("{\"a\":12.50}");
    }

    @Test
    void shouldReturnTemplateWithoutPlaceholdersUnchanged() {
        // given a template without "${", not even in compact form
        String template = "{ \"a\" : [1, 2.50, \"$ {x}\", {\"b\": null}] }";
        // when
        RenderResult result = InputTemplate.render(template, "not even JSON", outputs());
        // then the very same text comes back, without parsing the input
        assertThat(result).isInstanceOfSatisfying(RenderResult.Rendered.class,
                rendered -> assertThat(rendered.json()).isSameAs(template));
    }

    @Test
    void shouldAcceptValidTemplate() {
        // given
        String template = "{\"a\":\"${input.x}\",\"b\":[\"${tasks.fetch.output.items[0]['a b']}\",\"$${ignored\"],\"c\":1}";
        // when
        List<String> problems = InputTemplate.validate(template, Set.of("fetch"));
        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldRejectReferenceToTaskThatIsNotUpstream() {
        // given a template reading task 'other', which is not among the dependencies
        String template = "{\"customer\":{\"id\":\"${tasks.other.output.id}\"},\"list\":[1,\"x ${tasks.fetch.output}\"]}";
        // when
        List<String> problems = InputTemplate.validate(template, Set.of("fetch", "audit"));
        // then
        assertThat(problems).containsExactly("$.customer.id: placeholder '${tasks.other.output.id}' references task"
                + " 'other', which is not a dependency of this task (its dependencies: audit, fetch)");
    }

    @Test
    void shouldRejectMalformedPlaceholders() {
        // given one malformed placeholder per member
        String template = "{\"unterminated\":\"${input.a\",\"empty\":\"${}\",\"root\":\"${inputs.a}\","
                + "\"status\":\"${tasks.a.status}\",\"zero\":\"${input.a[01]}\",\"space\":\"${ input.a }\","
                + "\"dot\":\"${input.}\",\"list\":[\"ok\",\"${input[x]}\"],\"odd key\":\"${tasks.a}\"}";
        // when
        List<String> problems = InputTemplate.validate(template, Set.of("a"));
        // then each names its location and its placeholder
        assertThat(problems).hasSize(9);
        assertThat(problems.get(0)).startsWith("$.unterminated: placeholder '${input.a' ").contains("not closed");
        assertThat(problems.get(1)).startsWith("$.empty: placeholder '${}' is empty");
        assertThat(problems.get(2)).startsWith("$.root: placeholder '${inputs.a}' starts with 'inputs'");
        assertThat(problems.get(3)).startsWith("$.status: placeholder '${tasks.a.status}' reads 'status'");
        assertThat(problems.get(4)).startsWith("$.zero: ").contains("leading zero");
        assertThat(problems.get(5)).startsWith("$.space: ").contains("unexpected space");
        assertThat(problems.get(6)).startsWith("$.dot: placeholder '${input.}' ends early");
        assertThat(problems.get(7)).startsWith("$.list[1]: ").contains("after '['");
        assertThat(problems.get(8)).startsWith("$['odd key']: placeholder '${tasks.a}' ends early");
    }

    @Test
    void shouldReportInvalidJsonAsOneProblem() {
        // when the template is truncated, has two values, or is empty, then one problem is reported
        assertThat(InputTemplate.validate("{\"a\":\"${input.x}\",", Set.of()))
                .singleElement().asString().startsWith("the input template is not valid JSON");
        assertThat(InputTemplate.validate("{\"a\":1} {\"b\":2}", Set.of()))
                .singleElement().asString().contains("unexpected content after the JSON value");
        assertThat(InputTemplate.validate("", Set.of())).hasSize(1);
    }

    @Test
    void shouldFailToRenderMalformedTemplates() {
        // when a placeholder or the JSON is malformed, then rendering fails with the location
        assertThat(InputTemplate.render("{\"a\":[\"${input.a\"]}", "{}", outputs()))
                .isInstanceOfSatisfying(RenderResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("$.a[0]: placeholder '${input.a'"));
        assertThat(InputTemplate.render("{\"a\":\"${input}\"", "{}", outputs()))
                .isInstanceOfSatisfying(RenderResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("the input template is not valid JSON"));
        assertThat(InputTemplate.render("[\"${input}\"] []", "{}", outputs()))
                .isInstanceOf(RenderResult.Failed.class);
        assertThat(InputTemplate.render(null, "{}", outputs())).isInstanceOf(RenderResult.Failed.class);
    }

    @Test
    void shouldFailToRenderWhenAReferencedDocumentIsMalformed() {
        assertThat(InputTemplate.render("\"${input}\"", "{\"a\":", outputs()))
                .isInstanceOfSatisfying(RenderResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("the workflow input is not valid JSON"));
        assertThat(InputTemplate.render("\"${tasks.t.output}\"", "{}", outputs("t", "[1,]")))
                .isInstanceOfSatisfying(RenderResult.Failed.class,
                        failed -> assertThat(failed.message()).startsWith("the output of task 't' is not valid JSON"));
        // and a malformed document that is not referenced does not matter
        assertThat(InputTemplate.render("\"${input}\"", "{}", outputs("t", "[1,]")))
                .isEqualTo(new RenderResult.Rendered("{}"));
    }

    @Test
    void shouldRefuseRenderedInputThatIsTooLarge() {
        // given a 1 MiB string copied 20 times, whole and interpolated
        String input = "{\"s\":\"" + "x".repeat(1 << 20) + "\"}";
        String whole = "[" + String.join(",", java.util.Collections.nCopies(20, "\"${input.s}\"")) + "]";
        String interpolated = "\"" + "${input.s}".repeat(20) + "\"";
        // when rendered, then refused
        assertThat(InputTemplate.render(whole, input, outputs())).isEqualTo(
                new RenderResult.TooLarge(InputTemplate.MAX_RENDERED_LENGTH));
        assertThat(InputTemplate.render(interpolated, input, outputs())).isEqualTo(
                new RenderResult.TooLarge(InputTemplate.MAX_RENDERED_LENGTH));
    }

    @Test
    void shouldStopRenderingAtTheCallersBound() {
        // given a template whose output would be about 2 KiB
        String input = "{\"s\":\"" + "x".repeat(100) + "\"}";
        String whole = "[" + String.join(",", java.util.Collections.nCopies(20, "\"${input.s}\"")) + "]";
        String interpolated = "\"" + "${input.s}".repeat(20) + "\"";
        // when rendered with a bound of 1000 characters, then refused; with room to spare, rendered
        assertThat(InputTemplate.render(whole, input, outputs(), 1_000)).isEqualTo(new RenderResult.TooLarge(1_000));
        assertThat(InputTemplate.render(interpolated, input, outputs(), 1_000)).isEqualTo(new RenderResult.TooLarge(1_000));
        assertThat(InputTemplate.render(whole, input, outputs(), 3_000)).isInstanceOf(RenderResult.Rendered.class);
        // and a template without placeholders is bounded too
        assertThat(InputTemplate.render("\"" + "y".repeat(2_000) + "\"", input, outputs(), 1_000))
                .isEqualTo(new RenderResult.TooLarge(1_000));
    }
    @Test
    void shouldKeepSecretReferencesAsWrittenForTheWorker() {
        // given secret references, whole and embedded, next to a real placeholder
        String template = "{\"token\":\"${secrets.API_TOKEN}\",\"auth\":\"Bearer ${secrets.api-token} for ${input.customer.id}\","
                + "\"list\":[\"${secrets.X}\"]}";
        // when
        List<String> problems = InputTemplate.validate(template, Set.of());
        String json = rendered(template);
        // then they are valid, and rendered as text the engine never resolves
        assertThat(problems).isEmpty();
        assertThat(json).isEqualTo("{\"token\":\"${secrets.API_TOKEN}\",\"auth\":\"Bearer ${secrets.api-token} for c-7\","
                + "\"list\":[\"${secrets.X}\"]}");
    }

    @Test
    void shouldNeutraliseSecretReferencesThatComeFromData() {
        // given a workflow input and an upstream output (say, an HTTP answer) that spell a secret reference
        String input = "{\"note\":\"${secrets.API_TOKEN}\",\"deep\":{\"list\":[\"x ${secrets.B} y\"]}}";
        SortedMap<String, String> outputs = outputs("fetch", "{\"body\":\"${secrets.API_TOKEN}\"}");
        String template = "{\"whole\":\"${input.note}\",\"tree\":\"${input.deep}\",\"url\":\"https://x/?q=${tasks.fetch.output.body}\","
                + "\"object\":\"in ${input.deep}\",\"literal\":\"$${secrets.C} and ${secrets.D}\"}";
        // when
        String json = rendered(template, input, outputs);
        // then only the template's own reference stays one; data and escaped literals read '$${secrets.'
        assertThat(json).isEqualTo("{\"whole\":\"$${secrets.API_TOKEN}\",\"tree\":{\"list\":[\"x $${secrets.B} y\"]},"
                + "\"url\":\"https://x/?q=$${secrets.API_TOKEN}\",\"object\":\"in {\\\"list\\\":[\\\"x $${secrets.B} y\\\"]}\","
                + "\"literal\":\"$${secrets.C} and ${secrets.D}\"}");
    }

    @Test
    void shouldRejectMalformedSecretReferences() {
        // given a secret with members, one without a name, one with a bad character and one too long
        String template = "{\"a\":\"${secrets.A.b}\",\"b\":\"${secrets}\",\"c\":\"${secrets.a/b}\","
                + "\"d\":\"${secrets." + "n".repeat(129) + "}\"}";
        // when
        List<String> problems = InputTemplate.validate(template, Set.of());
        // then
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("$.a: placeholder '${secrets.A.b}' ").contains("a secret has no members");
        assertThat(problems.get(1)).startsWith("$.b: placeholder '${secrets}' ends early").contains("secret name");
        assertThat(problems.get(2)).startsWith("$.c: ").contains("unexpected character '/'");
        assertThat(problems.get(3)).startsWith("$.d: ").contains("longer than 128");
    }
}
