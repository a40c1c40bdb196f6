package io.flowraft.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefinitionRefTest {

    @Test
    void shouldReadANameAsTheLatestVersion() {
        // given / when a bare name is parsed
        DefinitionRef ref = DefinitionRef.parse("orders");

        // then it names the latest version
        assertThat(ref).isEqualTo(new DefinitionRef("orders", null));
        assertThat(ref.toString()).isEqualTo("orders");
    }

    @Test
    void shouldReadANameWithAVersion() {
        // given / when a versioned reference is parsed
        DefinitionRef ref = DefinitionRef.parse("orders_v2@3");

        // then it names that version, and writes back the same text
        assertThat(ref).isEqualTo(new DefinitionRef("orders_v2", 3));
        assertThat(ref.toString()).isEqualTo("orders_v2@3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@3", "orders@", "orders@0", "orders@-1", "orders@+3", "orders@x", "orders@3@4",
            "orders@99999999999", "or ders", "orders/2"})
    void shouldRejectMalformedReferences(String reference) {
        // given a malformed reference
        // when it is parsed, then it is rejected with a message quoting what was found
        assertThatThrownBy(() -> DefinitionRef.parse(reference))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but found");
    }

    @Test
    void shouldRejectNull() {
        // given / when null is parsed, then it is rejected like any malformed reference
        assertThatThrownBy(() -> DefinitionRef.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameAVersionedDefinitionView() {
        // given a registered definition
        DefinitionView view = new DefinitionView("orders", 3, null, Samples.CREATED);

        // when its reference is asked for, then it is what workflows started from it carry
        assertThat(view.reference()).isEqualTo("orders@3");
    }
}
