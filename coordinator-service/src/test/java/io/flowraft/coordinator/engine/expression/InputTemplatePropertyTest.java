package io.flowraft.coordinator.engine.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Rendering is a pure function, and a template without placeholders renders to itself. A failing case is
 * replayed by jqwik from the seed it prints.
 */
class InputTemplatePropertyTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** String leaves: plain text, valid and escaped placeholders, and malformed ones. */
    private static final List<String> TEMPLATE_STRINGS = List.of(
            "${input}", "${input.a}", "${input.list[1]}", "${input['a b']}", "${tasks.t1.output}",
            "${tasks.t1.output.a.b}", "${tasks.t2.output[0]}", "id-${input.a}-${tasks.t1.output.a}", "$${input}",
            "${input.", "${}", "${tasks.t1.status}", "price: $5", "{}", "plain");

    @Property(tries = 300)
    void renderingWithoutPlaceholdersReturnsTheSameJson(@ForAll("jsonWithoutPlaceholders") String template,
            @ForAll("jsonValues") String input) {
        // when
        RenderResult result = InputTemplate.render(template, input, new TreeMap<>());
        // then
        assertThat(result).isEqualTo(new RenderResult.Rendered(template));
    }

    @Property(tries = 300)
    void renderingIsAPureFunction(@ForAll("templates") String template, @ForAll("jsonValues") String input,
            @ForAll("jsonValues") String t1, @ForAll("jsonValues") String t2) {
        // given equal arguments in distinct instances
        SortedMap<String, String> outputs = new TreeMap<>(Map.of("t1", t1, "t2", t2));
        SortedMap<String, String> sameOutputs = new TreeMap<>(outputs);
        // when
        RenderResult first = InputTemplate.render(template, input, outputs);
        RenderResult second = InputTemplate.render(new String(template), new String(input), sameOutputs);
        // then
        assertThat(second).isEqualTo(first);
        if (first instanceof RenderResult.Rendered rendered) {
            // and the result is JSON
            assertThat(MAPPER.readTree(rendered.json())).isNotNull();
        } else {
            // only the malformed leaves can fail
            assertThat(template).containsAnyOf("${input.\"", "${}", "${tasks.t1.status}");
        }
    }

    @Provide
    Arbitrary<String> jsonWithoutPlaceholders() {
        return json(Arbitraries.strings().withChars("ab $\\{}\"'é\n\u0001").ofMaxLength(12))
                .filter(text -> !InputTemplate.mayContainPlaceholders(text));
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return json(Arbitraries.strings().alpha().ofMaxLength(6));
    }

    @Provide
    Arbitrary<String> templates() {
        return json(Arbitraries.oneOf(Arbitraries.of(TEMPLATE_STRINGS), Arbitraries.strings().alpha().ofMaxLength(4)));
    }

    /** Compact JSON text of random values whose strings come from {@code strings}. */
    private static Arbitrary<String> json(Arbitrary<String> strings) {
        return value(strings, 3).map(MAPPER::writeValueAsString);
    }

    private static Arbitrary<Object> value(Arbitrary<String> strings, int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                strings.map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.doubles().between(-1e6, 1e6).map(d -> (Object) d),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                Arbitraries.just((Object) NullNode.getInstance()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> element = Arbitraries.lazy(() -> value(strings, depth - 1));
        Arbitrary<Object> list = element.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> object = Arbitraries.entries(Arbitraries.strings().withChars("ab${} ").ofMaxLength(4), element)
                .list().ofMaxSize(4)
                .map(entries -> {
                    Map<String, Object> members = new LinkedHashMap<>();
                    entries.forEach(entry -> members.put(entry.getKey(), entry.getValue()));
                    return (Object) members;
                });
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalar), Tuple.of(1, list), Tuple.of(1, object));
    }
}
