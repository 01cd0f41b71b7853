package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.AuthTestServer.header;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CreateAgentUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.GetAgentUsageUseCase;
import org.tradingdemo.app.port.in.GetAgentUseCase;
import org.tradingdemo.app.port.in.GetCostReportUseCase;
import org.tradingdemo.app.port.in.GetOversightRequestUseCase;
import org.tradingdemo.app.port.in.GetPortfolioUseCase;
import org.tradingdemo.app.port.in.GetTradeUseCase;
import org.tradingdemo.app.port.in.GetUsageSummaryUseCase;
import org.tradingdemo.app.port.in.ListAgentsUseCase;
import org.tradingdemo.app.port.in.ListAlertsUseCase;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase;
import org.tradingdemo.app.port.in.ListTradesUseCase;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.app.port.in.ResumeAgentUseCase;
import org.tradingdemo.app.port.in.SubmitTradeUseCase;
import org.tradingdemo.app.port.in.SuspendAgentUseCase;
import org.tradingdemo.app.port.in.TerminateAgentUseCase;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;

class AuthFilterTest {

    private static final String READ = RestApi.PREFIX + "/test/read";

    private AuthTestServer server;

    @BeforeEach
    void start() {
        server = AuthTestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertUnauthorized(HttpResponse<String> response, String challenge) {
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(header(response, "Content-Type").startsWith(ProblemJson.CONTENT_TYPE));
        assertEquals(challenge, header(response, "WWW-Authenticate"));
        JsonNode body = server.json(response);
        assertEquals("unauthorized", body.get("code").asText());
        assertEquals(401, body.get("status").asInt());
        assertEquals(header(response, RequestIds.HEADER), body.get("requestId").asText());
        assertNull(header(response, RateLimits.LIMIT), "no rate-limit headers for anonymous callers");
    }

    @Test
    void validTokenReachesTheRouteWithItsPrincipal() {
        HttpResponse<String> response = server.getWithToken(READ, server.tokenFor(Role.VIEWER));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = server.json(response);
        assertEquals("u-viewer", body.get("userId").asText());
        assertEquals("viewer", body.get("role").asText());
    }

    @Test
    void schemeIsCaseInsensitive() {
        String token = server.tokenFor(Role.VIEWER);
        assertEquals(200, server.get(READ, "Authorization", "bearer " + token).statusCode());
        assertEquals(200, server.get(READ, "Authorization", "BEARER  " + token).statusCode());
    }

    @Test
    void missingTokenIs401WithChallenge() {
        assertUnauthorized(server.get(READ), AuthFilter.CHALLENGE);
        assertUnauthorized(server.get(READ, "Authorization", " "), AuthFilter.CHALLENGE);
    }

    @Test
    void garbledAuthorizationHeadersAre401() {
        String token = server.tokenFor(Role.VIEWER);
        for (String value : new String[] {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", token, "Bearer " + token + " x",
                "Bearer not-a-jwt", "Bearer a.b.c", "Token " + token, "Bearer " + token + "x"}) {
            assertUnauthorized(server.get(READ, "Authorization", value), AuthFilter.CHALLENGE_INVALID);
        }
    }

    @Test
    void everyKindOfInvalidTokenIs401() {
        KeyPair rsa = JwtTokensTest.rsaKeys();
        byte[] secret = AuthTestServer.SECRET.getBytes(StandardCharsets.UTF_8);
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("alg none", JwtTokensTest.craft(Algorithm.none(), b -> b));
        invalid.put("HS512", JwtTokensTest.craft(Algorithm.HMAC512(secret), b -> b));
        invalid.put("RS256", JwtTokensTest.craft(
                Algorithm.RSA256((RSAPublicKey) rsa.getPublic(), (RSAPrivateKey) rsa.getPrivate()), b -> b));
        invalid.put("expired", JwtTokensTest.craft(b -> b.withExpiresAt(AuthTestServer.T0.minusSeconds(1))));
        invalid.put("nbf in the future", JwtTokensTest.craft(b -> b.withNotBefore(AuthTestServer.T0.plusSeconds(120))));
        invalid.put("iat in the future", JwtTokensTest.craft(b -> b.withIssuedAt(AuthTestServer.T0.plusSeconds(120))));
        invalid.put("wrong issuer", JwtTokensTest.craft(b -> b.withIssuer("evil")));
        invalid.put("wrong audience", JwtTokensTest.craft(b -> b.withAudience("other-api")));
        invalid.put("wrong secret", JwtTokensTest.craft(
                Algorithm.HMAC256("some-other-secret-of-at-least-32-bytes!!"), b -> b));
        invalid.put("no sub", JwtTokensTest.craftWithout("sub"));
        invalid.put("no role", JwtTokensTest.craftWithout("role"));
        invalid.put("no exp", JwtTokensTest.craftWithout("exp"));
        invalid.put("unknown role", JwtTokensTest.craft(b -> b.withClaim("role", "root")));
        invalid.put("garbage", "eyJhbGciOiJIUzI1NiJ9.Z2FyYmFnZQ.c2lnbmF0dXJl");
        // the control: the same crafted token, unchanged, is accepted
        assertEquals(200, server.getWithToken(READ, JwtTokensTest.craft(b -> b)).statusCode());
        invalid.forEach((kind, token) -> {
            HttpResponse<String> response = server.getWithToken(READ, token);
            assertEquals(401, response.statusCode(), kind);
            assertUnauthorized(response, AuthFilter.CHALLENGE_INVALID);
        });
    }

    @Test
    void tokenStopsWorkingWhenItExpires() {
        String token = server.tokenFor(Role.VIEWER);
        assertEquals(200, server.getWithToken(READ, token).statusCode());
        server.clock.advance(Duration.ofHours(8).plusSeconds(1));
        assertUnauthorized(server.getWithToken(READ, token), AuthFilter.CHALLENGE_INVALID);
    }

    @Test
    void missingScopeIs403() {
        HttpResponse<String> response = server.post(RestApi.PREFIX + "/test/approve", "{}",
                "Authorization", "Bearer " + server.tokenFor(Role.TRADER));
        assertEquals(403, response.statusCode());
        assertEquals("insufficient_scope", server.json(response).get("code").asText());
        assertTrue(server.json(response).get("detail").asText().contains("oversight:approve"));
        assertEquals(200, server.post(RestApi.PREFIX + "/test/approve", "{}",
                "Authorization", "Bearer " + server.tokenFor(Role.APPROVER)).statusCode());
        assertEquals(200, server.post(RestApi.PREFIX + "/test/approve", "{}",
                "Authorization", "Bearer " + server.tokenFor(Role.ADMIN)).statusCode(), "admin holds every scope");
    }

    @Test
    void publicEndpointsNeedNoToken() {
        assertEquals(200, server.get("/health").statusCode());
        assertEquals(200, server.get("/health/").statusCode(), "trailing slash is the same route");
        assertEquals(200, server.get("/docs/app.js").statusCode(), "the docs page's assets");
        // the login answers for itself (401 invalid_credentials, not 401 unauthorized)
        HttpResponse<String> login = server.post(AuthRoutes.LOGIN_PATH, "{\"username\":\"x1\",\"password\":\"y\"}");
        assertEquals("invalid_credentials", server.json(login).get("code").asText());
    }

    @Test
    void aPublicEndpointWithABadTokenStillAnswers() {
        assertEquals(200, server.get("/health", "Authorization", "Bearer garbage").statusCode());
    }

    @Test
    void nonApiRoutesAreNotPublicUnlessListed() {
        assertUnauthorized(server.get("/internal/only"), AuthFilter.CHALLENGE);
        assertEquals(200, server.get("/internal/only", "Authorization", "Bearer " + server.tokenFor(Role.VIEWER))
                .statusCode());
    }

    @Test
    void unknownPathsAre404EvenWithoutAToken() {
        HttpResponse<String> response = server.get(RestApi.PREFIX + "/no-such-thing");
        assertEquals(404, response.statusCode());
        assertEquals("not_found", server.json(response).get("code").asText());
        assertEquals(404, server.get("/nowhere").statusCode());
    }

    @Test
    void headOfAnApiRouteNeedsAToken() {
        assertEquals(401, server.request("HEAD", READ).statusCode());
    }

    @Test
    void aServerErrorAfterAuthenticationIsAProblemWithoutInternals() {
        HttpResponse<String> response = server.getWithToken(RestApi.PREFIX + "/test/boom", server.tokenFor(Role.ADMIN));
        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("a bug"));
        assertEquals(401, server.get(RestApi.PREFIX + "/test/boom").statusCode(), "authentication comes first");
    }

    @Test
    void staticFilesArePublicOutsideTheApiOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.js"), "console.log('hi')");
        Files.createDirectories(dir.resolve("api"));
        Files.writeString(dir.resolve("api/secret.txt"), "secret");
        try (AuthTestServer withFiles = AuthTestServer.builder().staticFiles(dir).start()) {
            assertEquals(200, withFiles.get("/app.js").statusCode());
            assertEquals(401, withFiles.get("/api/secret.txt").statusCode());
            assertEquals(200, withFiles.get("/api/secret.txt", "Authorization",
                    "Bearer " + withFiles.tokenFor(Role.VIEWER)).statusCode());
        }
    }

    @Test
    void theFullApiAsRestApiBuildsIt() {
        AuthenticateUseCase authenticate = mock(AuthenticateUseCase.class);
        User alice = AuthTestServer.user("u-alice", "alice", Role.TRADER);
        when(authenticate.authenticate(eq("alice"), any())).thenReturn(Optional.of(alice));
        RestUseCases useCases = new RestUseCases(authenticate, mock(CreateAgentUseCase.class),
                mock(GetAgentUseCase.class), mock(ListAgentsUseCase.class), mock(SuspendAgentUseCase.class),
                mock(ResumeAgentUseCase.class), mock(TerminateAgentUseCase.class), mock(SubmitTradeUseCase.class),
                mock(GetTradeUseCase.class), mock(ListTradesUseCase.class), mock(CancelTradeUseCase.class),
                mock(GetPortfolioUseCase.class), mock(GetAgentUsageUseCase.class), mock(GetUsageSummaryUseCase.class),
                mock(GetCostReportUseCase.class), mock(ListOversightRequestsUseCase.class),
                mock(GetOversightRequestUseCase.class), mock(DecideOversightRequestUseCase.class),
                mock(RaiseAlertUseCase.class), mock(ListAlertsUseCase.class), mock(AcknowledgeAlertUseCase.class));
        Javalin api = RestApi.create(useCases, RestSettings.defaults(AuthTestServer.SECRET, server.clock), List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        api.start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + api.port();
            HttpResponse<String> anonymous = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/agents")));
            assertEquals(401, anonymous.statusCode());
            assertEquals(AuthFilter.CHALLENGE, header(anonymous, "WWW-Authenticate"));
            for (String path : List.of("/health", "/openapi.json", "/docs")) {
                assertEquals(200, send(http, HttpRequest.newBuilder(URI.create(base + path))).statusCode(), path);
            }

            HttpResponse<String> login = send(http, HttpRequest.newBuilder(URI.create(base + AuthRoutes.LOGIN_PATH))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"pw\"}")));
            assertEquals(200, login.statusCode(), login.body());
            String token = server.json(login).get("token").asText();

            HttpResponse<String> agent = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/agents/a-1"))
                    .header("Authorization", "Bearer " + token));
            assertEquals(404, agent.statusCode(), "authenticated: the mocked use case finds no agent");
            assertEquals("999", header(agent, RateLimits.REMAINING));
            assertEquals("no-store", header(agent, "Cache-Control"));
            assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(agent, "Content-Security-Policy"));
        } finally {
            api.stop();
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bearerTokenParsing() {
        assertEquals("abc", AuthFilter.bearerToken("Bearer abc").orElseThrow());
        assertEquals("abc", AuthFilter.bearerToken("  bEaReR   abc  ").orElseThrow());
        assertTrue(AuthFilter.bearerToken("Bearer").isEmpty());
        assertTrue(AuthFilter.bearerToken("Bearerabc").isEmpty());
        assertTrue(AuthFilter.bearerToken("Bearer a b").isEmpty());
        assertTrue(AuthFilter.bearerToken("Basic abc").isEmpty());
    }
}
