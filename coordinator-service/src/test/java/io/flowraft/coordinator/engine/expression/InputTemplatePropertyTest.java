package io.flowraft.coordinator.engine.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Rendering is a pure function, and a template without placeholders renders to itself. Seeded random
 * cases; a failure names its seed and case, and the seed replays it exactly.
 */
class InputTemplatePropertyTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long SEED = 424_242L;

    /** String leaves: plain text, valid and escaped placeholders, and malformed ones. */
    private static final List<String> TEMPLATE_STRINGS = List.of(
            "${input}", "${input.a}", "${input.list[1]}", "${input['a b']}", "${tasks.t1.output}",
            "${tasks.t1.output.a.b}", "${tasks.t2.output[0]}", "id-${input.a}-${tasks.t1.output.a}", "$${input}",
            "${input.", "${}", "${tasks.t1.status}", "price: $5", "{}", "plain");

    @Test
    void renderingWithoutPlaceholdersReturnsTheSameJson() {
        Random random = new Random(SEED);
        int checked = 0;
        for (int i = 0; checked < 300 && i < 5_000; i++) {
            String template = json(random, r -> randomString(r, "ab $\\{}\"'é\n\u0001", 12));
            if (InputTemplate.mayContainPlaceholders(template)) {
                continue;
            }
            checked++;
            String input = json(random, r -> randomString(r, "abcdefgh", 6));
            assertThat(InputTemplate.render(template, input, new TreeMap<>())).as("seed %d case %d", SEED, i)
                    .isEqualTo(new RenderResult.Rendered(template));
        }
        assertThat(checked).isEqualTo(300);
    }

    @Test
    void renderingIsAPureFunction() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 300; i++) {
            // given equal arguments in distinct instances
            String template = json(random, r -> r.nextBoolean()
                    ? TEMPLATE_STRINGS.get(r.nextInt(TEMPLATE_STRINGS.size())) : randomString(r, "abcd", 4));
            String input = json(random, r -> randomString(r, "abcdef", 6));
            SortedMap<String, String> outputs = new TreeMap<>(Map.of(
                    "t1", json(random, r -> randomString(r, "abcdef", 6)),
                    "t2", json(random, r -> randomString(r, "abcdef", 6))));
            // when
            RenderResult first = InputTemplate.render(template, input, outputs);
            RenderResult second = InputTemplate.render(new String(template), new String(input), new TreeMap<>(outputs));
            // then
            assertThat(second).as("seed %d case %d", SEED + 1, i).isEqualTo(first);
            if (first instanceof RenderResult.Rendered rendered) {
                assertThat(MAPPER.readTree(rendered.json())).isNotNull();
            } else {
                assertThat(template).as("only the malformed leaves can fail").containsAnyOf("${input.\"", "${}",
                        "${tasks.t1.status}");
            }
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Compact JSON text of a random value whose strings come from {@code strings}. */
    private static String json(Random random, Function<Random, String> strings) {
        return MAPPER.writeValueAsString(value(random, strings, 3));
    }

    private static Object value(Random random, Function<Random, String> strings, int depth) {
        int kind = depth == 0 ? random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> strings.apply(random);
            case 1 -> random.nextLong();
            case 2 -> (random.nextDouble() - 0.5) * 2e6;
            case 3 -> random.nextBoolean();
            case 4 -> NullNode.getInstance();
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(value(random, strings, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> members = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    members.put(randomString(random, "ab${} ", 4), value(random, strings, depth - 1));
                }
                yield members;
            }
        };
    }
}
