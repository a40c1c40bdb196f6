package io.flowraft.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProblemTypeTest {

    @Test
    void shouldGiveEveryTypeItsOwnUri() {
        // given every problem type
        // when their URIs are collected
        // then no two share one, so clients can switch on the URI
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void shouldFindTheTypeBackFromItsUri(ProblemType type) {
        // given a problem type's URI
        URI uri = type.uri();

        // when it is looked up
        // then it is the same type, and the URI sits under the common base
        assertThat(ProblemType.fromUri(uri)).isEqualTo(type);
        assertThat(uri.toString()).startsWith(ProblemType.BASE);
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void shouldAnswerWithAnErrorStatus(ProblemType type) {
        // given a problem type
        // when its status is read
        // then it is a client or server error, never a success
        assertThat(type.status()).isBetween(400, 599);
    }

    @Test
    void shouldRejectAnUnknownUri() {
        // given a URI that is no FlowRaft problem type
        URI unknown = URI.create(ProblemType.BASE + "no-such-problem");

        // when it is looked up, then it is rejected
        assertThatThrownBy(() -> ProblemType.fromUri(unknown)).isInstanceOf(IllegalArgumentException.class);
    }
}
