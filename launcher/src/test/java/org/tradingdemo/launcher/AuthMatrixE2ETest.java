package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradingdemo.app.local.Pbkdf2PasswordHasher;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * Every protected route of docs/HTTP-API-SPEC.md against every way of not being allowed: no token,
 * a forged signature, an expired token, a tampered payload and {@code alg: none} (401); a token
 * without the route's scope (403); and a second trader reaching for the first trader's agent,
 * trade or request (404, as if it did not exist). A right caller gets through every read, and after
 * the matrix nothing has changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthMatrixE2ETest {

    /** A route of the spec: how to call it, the scope it needs, and whether it names trader 1's resource. */
    record Route(String method, String template, String scope, String body, boolean ownedByTrader1) {
        boolean isWrite() {
            return method.equals("POST");
        }

        String path() {
            return template.replace("{agent}", agentId).replace("{trade}", tradeId)
                    .replace("{request}", requestId).replace("{alert}", alertId);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final String TRADE_BODY =
            "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":1,\"price\":150,\"type\":\"limit\"}";
    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/v1/agents", "read", null, false),
            new Route("POST", "/api/v1/agents", "agent:create", "{\"name\":\"X\",\"budget\":5000}", false),
            new Route("GET", "/api/v1/agents/{agent}", "read", null, true),
            new Route("POST", "/api/v1/agents/{agent}/suspend", "agent:create", null, true),
            new Route("POST", "/api/v1/agents/{agent}/resume", "agent:create", null, true),
            new Route("POST", "/api/v1/agents/{agent}/terminate", "agent:terminate", null, true),
            new Route("POST", "/api/v1/agents/{agent}/trades", "trade:submit", TRADE_BODY, true),
            new Route("GET", "/api/v1/agents/{agent}/trades", "read", null, true),
            new Route("GET", "/api/v1/trades/{trade}", "read", null, true),
            new Route("POST", "/api/v1/trades/{trade}/cancel", "trade:submit", null, true),
            new Route("GET", "/api/v1/agents/{agent}/portfolio", "read", null, true),
            new Route("GET", "/api/v1/agents/{agent}/usage", "read", null, true),
            new Route("GET", "/api/v1/metering/usage", "read", null, false),
            new Route("GET", "/api/v1/metering/costs", "read", null, false),
            new Route("GET", "/api/v1/oversight/requests", "read", null, false),
            new Route("GET", "/api/v1/oversight/requests/{request}", "read", null, true),
            new Route("POST", "/api/v1/oversight/requests/{request}/approve", "oversight:approve", null, false),
            new Route("POST", "/api/v1/oversight/requests/{request}/reject", "oversight:approve",
                    "{\"comment\":\"no\"}", false),
            new Route("GET", "/api/v1/alerts", "read", null, false),
            new Route("POST", "/api/v1/alerts", "trade:submit",
                    "{\"severity\":\"info\",\"type\":\"note\",\"message\":\"hello\"}", false),
            new Route("POST", "/api/v1/alerts/{alert}/acknowledge", "oversight:approve", null, false));

    @TempDir
    static Path dataDir;
    private static TradingServer server;
    private static Api api;
    private static String trader1;
    private static String trader2;
    private static String viewer;
    private static String approver;
    static String agentId;
    static String tradeId;
    static String requestId;
    static String alertId;

    @BeforeAll
    static void start() {
        server = TradingServer.start(E2e.config(dataDir, Map.of()));
        api = new Api(server.baseUrl());
        // a second trader, straight into the store (the demo users are one per role)
        server.demo().store().transactions().run(() -> server.demo().store().users().save(new User(
                UserId.of("second-trader"), "trader2", new Pbkdf2PasswordHasher(1_000).hash("trader2-pass".toCharArray()),
                Role.TRADER, Instant.now())));
        trader1 = api.login("trader");
        trader2 = api.login("trader2", "trader2-pass");
        viewer = api.login("viewer");
        approver = api.login("approver");

        agentId = api.createAgent(trader1, "Owned", "100000", "balanced", "medium");
        JsonNode pending = api.trade(trader1, agentId, "MSFT", "buy", "150", "400").expect(202).json();
        tradeId = pending.path("trade").path("id").asText();
        requestId = pending.path("oversightRequest").path("id").asText();
        alertId = api.post("/api/v1/alerts", trader1, "{\"severity\":\"warning\",\"type\":\"test\",\"message\":\"m\","
                + "\"agentId\":\"" + agentId + "\"}").expect(201).text("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Route> routes() {
        return ROUTES.stream();
    }

    static Stream<Route> writes() {
        return ROUTES.stream().filter(Route::isWrite);
    }

    static Stream<Route> reads() {
        return ROUTES.stream().filter(r -> !r.isWrite());
    }

    static Stream<Route> owned() {
        return ROUTES.stream().filter(Route::ownedByTrader1);
    }

    private static Response call(Route r, String authorization) {
        var request = api.request(r.path(), null);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (r.isWrite()) {
            request.header("Content-Type", "application/json");
            request.POST(r.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(r.body()));
        } else {
            request.GET();
        }
        return api.send(request);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void noTokenIs401(Route r) {
        Response response = call(r, null).expectProblem(401, "unauthorized");
        assertEquals("Bearer", response.header("WWW-Authenticate"));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aTokenSignedWithAnotherKeyIs401(Route r) {
        String forged = resign(trader1, Algorithm.HMAC256("another-secret-that-is-also-long-enough-0123"),
                Instant.now(), Instant.now().plus(1, ChronoUnit.HOURS));
        call(r, "Bearer " + forged).expectProblem(401, "unauthorized");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void anExpiredTokenIs401(Route r) {
        // signed with the server's own key: only the times are wrong
        Instant issued = Instant.now().minus(2, ChronoUnit.HOURS);
        String expired = resign(trader1, Algorithm.HMAC256(E2e.JWT_SECRET), issued, issued.plus(1, ChronoUnit.HOURS));
        call(r, "Bearer " + expired).expectProblem(401, "unauthorized");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aTamperedOrUnsignedTokenIs401(Route r) {
        String[] parts = viewer.split("\\.");
        ObjectNode claims = (ObjectNode) json(decode(parts[1]));
        claims.put("role", "admin");
        claims.putArray("scope").add("admin");
        String tampered = parts[0] + "." + encode(claims.toString()) + "." + parts[2];
        call(r, "Bearer " + tampered).expectProblem(401, "unauthorized");

        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
        call(r, "Bearer " + none).expectProblem(401, "unauthorized");
        call(r, "Basic dHJhZGVyOnRyYWRlci1wYXNzd29yZC0x").expectProblem(401, "unauthorized");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aViewerOnAWriteIs403(Route r) {
        call(r, "Bearer " + viewer).expectProblem(403, "insufficient_scope");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aCallerWithoutTheScopeIs403(Route r) {
        // trader for the oversight scope, approver for the trading scopes
        String caller = r.scope().equals("oversight:approve") ? trader1 : approver;
        call(r, "Bearer " + caller).expectProblem(403, "insufficient_scope");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("owned")
    void anotherTradersResourceIs404(Route r) {
        call(r, "Bearer " + trader2).expectProblem(404, "not_found");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void theRightCallerGetsThrough(Route r) {
        Response response = call(r, "Bearer " + trader1).expect(200);
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
    }

    @Order(2)
    @Test
    void nothingRefusedChangedAnything() {
        assertEquals("active", api.get("/api/v1/agents/" + agentId, trader1).expect(200).text("status"));
        assertEquals("pending_approval", api.get("/api/v1/trades/" + tradeId, trader1).expect(200).text("status"));
        assertEquals("pending", api.get("/api/v1/oversight/requests/" + requestId, trader1).expect(200).text("status"));
        JsonNode agents = api.get("/api/v1/agents", trader1).expect(200).json().path("items");
        assertEquals(1, agents.size(), "no agent was created by a refused request");
        assertEquals(1, api.get("/api/v1/agents/" + agentId + "/trades", trader1).expect(200).json().path("items")
                .size());
        JsonNode alerts = api.get("/api/v1/alerts", approver).expect(200).json().path("items");
        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).path("acknowledgedAt").isNull());
        assertEquals(0, api.get("/api/v1/agents", trader2).expect(200).json().path("items").size());
    }

    /** The claims of a real token, re-signed with the given key and times. */
    private static String resign(String token, Algorithm key, Instant issuedAt, Instant expiresAt) {
        DecodedJWT real = JWT.decode(token);
        JWTCreator.Builder b = JWT.create()
                .withIssuer(real.getIssuer())
                .withAudience(real.getAudience().toArray(String[]::new))
                .withSubject(real.getSubject())
                .withClaim("username", real.getClaim("username").asString())
                .withClaim("role", real.getClaim("role").asString())
                .withArrayClaim("scope", real.getClaim("scope").asList(String.class).toArray(String[]::new))
                .withJWTId(real.getId())
                .withIssuedAt(issuedAt)
                .withNotBefore(issuedAt)
                .withExpiresAt(expiresAt);
        return b.sign(key);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) {
        try {
            return E2e.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
