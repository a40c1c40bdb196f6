package io.flowraft.worker.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.contracts.json.FlowRaftJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Secrets resolved on the worker from its environment or a mounted directory, only for the types allowed them. */
class SecretsTest {

    @TempDir
    Path dir;

    private static JsonNode json(String text) {
        return FlowRaftJson.mapper().readTree(text);
    }

    @Test
    void shouldReadTheEnvironmentUnderAnUpperCasedName() throws Exception {
        // given the variable for 'api-token.v2'-style names: upper case, other characters as '_'
        SecretStore store = new SecretStore(Map.of("FLOWRAFT_SECRET_API_TOKEN", "from-env"), null);
        // then
        assertThat(SecretStore.variable("api-token")).isEqualTo("FLOWRAFT_SECRET_API_TOKEN");
        assertThat(store.value("api-token")).contains("from-env");
        assertThat(store.value("API_TOKEN")).contains("from-env");
        assertThat(store.value("OTHER")).isEmpty();
    }

    @Test
    void shouldReadAMountedFileWithoutItsTrailingNewline() throws Exception {
        // given a Kubernetes-style secret volume: one file per secret
        Files.writeString(dir.resolve("DB_PASSWORD"), "pa55 word\n");
        Files.writeString(dir.resolve("CRLF"), "value\r\n");
        Files.writeString(dir.resolve("TWO_LINES"), "line1\nline2\n\n");
        Files.writeString(dir.resolve("EMPTY"), "\n");
        SecretStore store = new SecretStore(Map.of("FLOWRAFT_SECRET_CRLF", "env-wins"), dir);
        // then one trailing newline is stripped, the environment comes first, and empty is not set
        assertThat(store.value("DB_PASSWORD")).contains("pa55 word");
        assertThat(store.value("TWO_LINES")).contains("line1\nline2\n");
        assertThat(store.value("CRLF")).contains("env-wins");
        assertThat(store.value("EMPTY")).isEmpty();
        assertThat(store.value("MISSING")).isEmpty();
        assertThatThrownBy(() -> store.value("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldResolveAllowedSecretsWholeAndEmbedded() throws Exception {
        // given a worker that allows API_TOKEN to type 'call'
        Files.writeString(dir.resolve("API_TOKEN"), "t0k3n-value\n");
        Secrets secrets = new Secrets(new SecretStore(Map.of(), dir), Map.of("call", List.of("API_TOKEN", " OTHER ")));
        JsonNode input = json("{\"token\":\"${secrets.API_TOKEN}\",\"headers\":{\"Authorization\":\"Bearer ${secrets.API_TOKEN}\"},"
                + "\"${secrets.API_TOKEN}\":1,\"literal\":\"$${secrets.API_TOKEN} costs $5\",\"n\":3}");
        // when
        Secrets.Resolution resolution = secrets.resolve("call", input);
        // then string values are resolved, member names and escaped references are not
        assertThat(resolution.input()).isEqualTo(json("{\"token\":\"t0k3n-value\",\"headers\":{\"Authorization\":"
                + "\"Bearer t0k3n-value\"},\"${secrets.API_TOKEN}\":1,\"literal\":\"${secrets.API_TOKEN} costs $5\",\"n\":3}"));
        assertThat(resolution.redactor().redact("got t0k3n-value")).isEqualTo("got ***");
        assertThat(secrets.allowedFor("call")).containsExactlyInAnyOrder("API_TOKEN", "OTHER");
    }

    @Test
    void shouldLeaveAnInputWithoutReferencesAsItIs() throws Exception {
        Secrets secrets = new Secrets(new SecretStore(Map.of(), null), Map.of());
        JsonNode input = json("{\"a\":\"${input.x}\",\"b\":[\"$5\",{\"c\":\"${secrets}\"}]}");
        Secrets.Resolution resolution = secrets.resolve("echo", input);
        assertThat(resolution.input()).isSameAs(input);
        assertThat(resolution.redactor().isEmpty()).isTrue();
        // a reference escaped by the coordinator (it came from data) is read as literal text, resolving nothing
        JsonNode escaped = json("[\"$${secrets.API_TOKEN}\",\"$$${secrets.B}\"]");
        assertThat(secrets.resolve("echo", escaped).input()).isEqualTo(json("[\"${secrets.API_TOKEN}\",\"$${secrets.B}\"]"));
    }

    @Test
    void shouldRefuseASecretNotAllowedForTheTypeNamingItButNotItsValue() throws Exception {
        // given the secret exists, but only 'call' may use it
        Secrets secrets = new Secrets(new SecretStore(Map.of("FLOWRAFT_SECRET_API_TOKEN", "t0k3n-value"), null),
                Map.of("call", List.of("API_TOKEN")));
        // when another type references it, then it is refused for good
        assertThatThrownBy(() -> secrets.resolve("echo", json("{\"t\":\"${secrets.API_TOKEN}\"}")))
                .isInstanceOf(SecretRefusedException.class)
                .hasMessageContaining("Secret 'API_TOKEN' is not allowed for task type 'echo'")
                .hasMessageContaining("flowraft.worker.secrets.allowed.echo")
                .hasMessageNotContaining("t0k3n-value");
        // and nothing at all is allowed by default
        Secrets none = new Secrets(new SecretStore(Map.of("FLOWRAFT_SECRET_API_TOKEN", "t0k3n-value"), null), Map.of());
        assertThatThrownBy(() -> none.resolve("call", json("\"${secrets.API_TOKEN}\"")))
                .isInstanceOf(SecretRefusedException.class);
    }

    @Test
    void shouldRefuseASecretThisWorkerDoesNotHold() {
        Secrets secrets = new Secrets(new SecretStore(Map.of(), dir), Map.of("call", List.of("MISSING")));
        assertThatThrownBy(() -> secrets.resolve("call", json("[\"x ${secrets.MISSING}\"]")))
                .isInstanceOf(SecretRefusedException.class)
                .hasMessageContaining("Secret 'MISSING' is not set on this worker")
                .hasMessageContaining("FLOWRAFT_SECRET_MISSING")
                .hasMessageContaining(dir.resolve("MISSING").toString());
    }

    @Test
    void shouldRedactEveryCheapFormOfAValueFromTextAndJson() {
        // given a value with characters JSON and URLs escape
        String value = "p\"ss/w0rd+ö";
        Redactor redactor = Redactor.of(List.of(value, ""));
        String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        // then as it is, JSON-escaped, Base64 and URL-encoded, it is replaced
        assertThat(redactor.redact("a " + value + " b")).isEqualTo("a *** b");
        assertThat(redactor.redact("{\"k\":\"p\\\"ss/w0rd+ö\"}")).isEqualTo("{\"k\":\"***\"}");
        assertThat(redactor.redact("Basic " + base64)).isEqualTo("Basic ***");
        assertThat(redactor.redact("u=" + urlSafe)).isEqualTo("u=***");
        assertThat(redactor.redact("q=p%22ss%2Fw0rd%2B%C3%B6")).isEqualTo("q=***");
        // and in a JSON tree: values, member names and numbers
        Redactor pin = Redactor.of(List.of("4711"));
        JsonNode redacted = pin.redact(json("{\"pin\":4711,\"4711\":[\"x4711y\",true],\"other\":12}"));
        assertThat(redacted).isEqualTo(json("{\"pin\":\"***\",\"***\":[\"x***y\",true],\"other\":12}"));
    }
}
