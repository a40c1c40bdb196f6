package io.flowraft.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys held as digests: matching, the key file's format, and configuration mistakes named clearly. */
class ApiKeysTest {

    private static final String KEY = "fr_client_" + "a".repeat(43);

    private static SecurityProperties properties(List<SecurityProperties.ApiKey> keys, Path file) {
        return new SecurityProperties(SecurityMode.SECURE, keys, file, new SecurityProperties.Jwt("sub", "roles"), Map.of());
    }

    @Test
    void shouldAuthenticateTheKeyWhoseDigestIsConfiguredAndNothingElse() {
        ApiKeys keys = ApiKeys.from(properties(List.of(
                new SecurityProperties.ApiKey("shop", List.of("client", "reader"), ApiKeys.sha256Hex(KEY), null),
                new SecurityProperties.ApiKey("ops", List.of("admin"), ApiKeys.sha256Hex(KEY + "2"), 5.0)), null));

        ApiKeyAuthentication shop = keys.authenticate(KEY).orElseThrow();
        assertThat(shop.getName()).isEqualTo("shop");
        assertThat(Caller.of(shop).roles()).containsExactlyInAnyOrder(Role.CLIENT, Role.READER);
        assertThat(shop.getCredentials()).isEqualTo("");
        assertThat(keys.authenticate(KEY + "2").orElseThrow().perSecond()).isEqualTo(5.0);
        assertThat(keys.authenticate(KEY.substring(1))).isEmpty();
        assertThat(keys.authenticate(ApiKeys.sha256Hex(KEY))).as("the digest is not a key").isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
    }

    @Test
    void shouldReadAKeyFileWithCommentsAndRates(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, """
                # principal roles sha256 [perSecond]
                shop client,reader %s
                   # indented comment
                workers worker %s 250   # the pool's own rate
                """.formatted(ApiKeys.sha256Hex(KEY), ApiKeys.sha256Hex("w" + KEY)));

        ApiKeys keys = ApiKeys.from(properties(List.of(), file));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.authenticate("w" + KEY).orElseThrow().perSecond()).isEqualTo(250.0);
        assertThat(keys.authenticate(KEY).orElseThrow().getName()).isEqualTo("shop");
    }

    @Test
    void shouldNameTheLineAndTheRuleOfABadKeyFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, "shop client " + ApiKeys.sha256Hex(KEY) + "\nbad superuser " + ApiKeys.sha256Hex(KEY) + "\n");

        assertThatThrownBy(() -> ApiKeys.from(properties(List.of(), file)))
                .hasMessageContaining("line 2").hasMessageContaining("'superuser' is not one of client, worker, admin, reader");
    }

    @Test
    void shouldRefuseAPlainKeyWhereADigestBelongs() {
        assertThatThrownBy(() -> properties(List.of(new SecurityProperties.ApiKey("shop", List.of("client"), KEY, null)), null))
                .hasMessageContaining("flowraft.security.api-keys[0].sha256")
                .hasMessageContaining("the key itself is never configured");
        assertThatThrownBy(() -> properties(List.of(new SecurityProperties.ApiKey(" ", List.of("client"),
                ApiKeys.sha256Hex(KEY), null)), null)).hasMessageContaining("api-keys[0].principal");
    }

    @Test
    void shouldGiveEachRoleItsDefaultRateUnlessConfigured() {
        SecurityProperties configured = new SecurityProperties(SecurityMode.SECURE, List.of(), null,
                new SecurityProperties.Jwt("sub", "roles"), Map.of("worker", 0.0, "client", 50.0));

        assertThat(configured.rateLimit(Role.WORKER)).isZero();
        assertThat(configured.rateLimit(Role.CLIENT)).isEqualTo(50.0);
        assertThat(configured.rateLimit(Role.ADMIN)).isEqualTo(100.0);
        assertThatThrownBy(() -> new SecurityProperties(SecurityMode.SECURE, List.of(), null,
                new SecurityProperties.Jwt("sub", "roles"), Map.of("root", 1.0)))
                .hasMessageContaining("flowraft.security.rate-limits.root: not a role");
    }

    @Test
    void shouldReadRolesFromAListOrAStringClaimAtANestedPath() {
        var nested = new BearerAuthentication.ClaimRoles("realm_access.roles");
        var flat = new BearerAuthentication.ClaimRoles("scope");
        org.springframework.security.oauth2.jwt.Jwt jwt = org.springframework.security.oauth2.jwt.Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .claim("realm_access", Map.of("roles", List.of("client", "offline_access", "ROLE_reader")))
                .claim("scope", "worker  admin,unknown").build();

        assertThat(nested.convert(jwt)).extracting(Object::toString).containsExactlyInAnyOrder("ROLE_CLIENT", "ROLE_READER");
        assertThat(flat.convert(jwt)).extracting(Object::toString).containsExactlyInAnyOrder("ROLE_WORKER", "ROLE_ADMIN");
    }
}
