package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * A table of bad requests: each must be refused with a 4xx {@code application/problem+json} (never
 * a 500, never a stack trace) and must leave everything as it was - the agents, the agent's trades
 * and portfolio, the pending request and the alerts are compared with a snapshot after each.
 */
class BadInputE2ETest {

    /** One bad request; {@code caller} is trader (the agent's owner), approver or nobody. */
    record Bad(String name, String method, String path, String contentType, String body, String idempotencyKey,
               String caller, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String TRADES = "/api/v1/agents/{agent}/trades";
    private static final String AGENTS = "/api/v1/agents";
    private static final String JSON = "application/json";

    private static Bad trade(String name, String body) {
        return new Bad(name, "POST", TRADES, JSON, body, null, "trader", 400);
    }

    private static Bad agent(String name, String body) {
        return new Bad(name, "POST", AGENTS, JSON, body, null, "trader", 400);
    }

    private static Bad query(String name, String path, String caller) {
        return new Bad(name, "GET", path, null, null, null, caller, 400);
    }

    private static Bad post(String name, String path, String caller, String body, int status) {
        return new Bad(name, "POST", path, JSON, body, null, caller, status);
    }

    /** A trade body with one field replaced (raw JSON text) or removed (null). */
    private static String order(String field, String rawValue) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("symbol", "\"AAPL\"");
        f.put("side", "\"buy\"");
        f.put("quantity", "10");
        f.put("price", "150");
        f.put("type", "\"limit\"");
        if (rawValue == null) {
            f.remove(field);
        } else {
            f.put(field, rawValue);
        }
        StringBuilder sb = new StringBuilder("{");
        f.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    private static String newAgent(String field, String rawValue) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", "\"Zulu\"");
        f.put("budget", "5000");
        f.put("strategy", "\"balanced\"");
        f.put("riskTolerance", "\"medium\"");
        if (rawValue == null) {
            f.remove(field);
        } else {
            f.put(field, rawValue);
        }
        StringBuilder sb = new StringBuilder("{");
        f.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    static Stream<Bad> badRequests() {
        String deep = "[".repeat(40) + "]".repeat(40);
        String farFuture = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("9223372036854775807.0|x".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                // --- submitting a trade
                trade("malformed JSON", "{\"symbol\":\"AAPL\","),
                new Bad("text/plain content type", "POST", TRADES, "text/plain", order("side", "\"buy\""), null,
                        "trader", 415),
                new Bad("no content type", "POST", TRADES, null, order("side", "\"buy\""), null, "trader", 415),
                new Bad("body over 64 KiB", "POST", TRADES, JSON,
                        order("clientOrderId", "\"" + "x".repeat(70 * 1024) + "\""), null, "trader", 413),
                trade("unknown field", order("leverage", "10")),
                trade("lower-case symbol", order("symbol", "\"aapl\"")),
                trade("symbol of 16 characters", order("symbol", "\"ABCDEFGHIJ.KLMNO\"")),
                trade("symbol as an object", order("symbol", "{\"a\":1}")),
                trade("negative quantity", order("quantity", "-10")),
                trade("zero quantity", order("quantity", "0")),
                trade("quantity with 9 decimals", order("quantity", "0.123456789")),
                trade("price with 9 decimals", order("price", "150.123456789")),
                trade("zero price", order("price", "0")),
                trade("negative price", order("price", "-150")),
                trade("quantity 1e400", order("quantity", "1e400")),
                trade("price 1e400", order("price", "1e400")),
                trade("quantity of 50 digits", order("quantity", "1" + "0".repeat(49))),
                trade("quantity above 1e9", order("quantity", "1000000001")),
                trade("quantity as a string", order("quantity", "\"10\"")),
                trade("price as a string", order("price", "\"150\"")),
                trade("quantity as a boolean", order("quantity", "true")),
                trade("side hold", order("side", "\"hold\"")),
                trade("type stop", order("type", "\"stop\"")),
                trade("missing symbol", order("symbol", null)),
                trade("missing side", order("side", null)),
                trade("missing quantity", order("quantity", null)),
                trade("limit order without price", order("price", null)),
                trade("amount under one cent", "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":0.001,\"price\":1,"
                        + "\"type\":\"limit\"}"),
                trade("clientOrderId of 65 characters", order("clientOrderId", "\"" + "c".repeat(65) + "\"")),
                new Bad("Idempotency-Key differs from clientOrderId", "POST", TRADES, JSON,
                        order("clientOrderId", "\"order-a\""), "order-b", "trader", 400),
                new Bad("Idempotency-Key with spaces", "POST", TRADES, JSON, order("side", "\"buy\""), "not a key",
                        "trader", 400),
                trade("JSON array body", "[" + order("side", "\"buy\"") + "]"),
                trade("empty body", ""),
                trade("null body", "null"),
                trade("trailing garbage", order("side", "\"buy\"") + " {}"),
                trade("nesting 40 deep", order("symbol", deep)),
                // --- creating an agent
                agent("blank name", newAgent("name", "\"   \"")),
                agent("name of 101 characters", newAgent("name", "\"" + "n".repeat(101) + "\"")),
                agent("name with a control character", newAgent("name", "\"bell\\u0007\"")),
                agent("budget under 1000", newAgent("budget", "999.99")),
                agent("budget over 1000000", newAgent("budget", "1000001")),
                agent("budget with 3 decimals", newAgent("budget", "5000.001")),
                agent("budget as a string", newAgent("budget", "\"5000\"")),
                agent("budget 1e400", newAgent("budget", "1e400")),
                agent("missing budget", newAgent("budget", null)),
                agent("strategy yolo", newAgent("strategy", "\"yolo\"")),
                agent("riskTolerance extreme", newAgent("riskTolerance", "\"extreme\"")),
                agent("negative maxPositionSize", newAgent("maxPositionSize", "-5")),
                agent("unknown field", newAgent("owner", "\"someone-else\"")),
                // --- queries
                query("limit 0", TRADES + "?limit=0", "trader"),
                query("limit 201", TRADES + "?limit=201", "trader"),
                query("limit abc", TRADES + "?limit=abc", "trader"),
                query("negative limit", AGENTS + "?limit=-1", "trader"),
                query("cursor that was never issued", TRADES + "?cursor=not-a-cursor", "trader"),
                query("cursor beyond the range of time", TRADES + "?cursor=" + farFuture, "trader"),
                query("from yesterday", TRADES + "?from=yesterday", "trader"),
                query("to 30 February", TRADES + "?to=2024-02-30T00:00:00Z", "trader"),
                query("trade status bogus", TRADES + "?status=bogus", "trader"),
                query("trade symbol lower-case", TRADES + "?symbol=aapl", "trader"),
                query("agent status sleeping", AGENTS + "?status=sleeping", "trader"),
                query("usage period weekly", "/api/v1/agents/{agent}/usage?period=weekly", "trader"),
                query("metering period yearly", "/api/v1/metering/usage?period=yearly", "trader"),
                query("costs from month 13", "/api/v1/metering/costs?from=2024-13-01", "trader"),
                query("oversight status nope", "/api/v1/oversight/requests?status=nope", "approver"),
                query("alert severity apocalyptic", "/api/v1/alerts?severity=apocalyptic", "approver"),
                query("alert acknowledged maybe", "/api/v1/alerts?acknowledged=maybe", "approver"),
                // --- deciding
                post("reject without comment", "/api/v1/oversight/requests/{request}/reject", "approver", "{}", 400),
                post("reject without body", "/api/v1/oversight/requests/{request}/reject", "approver", null, 400),
                post("reject with a blank comment", "/api/v1/oversight/requests/{request}/reject", "approver",
                        "{\"comment\":\"   \"}", 400),
                post("reject with a number as comment", "/api/v1/oversight/requests/{request}/reject", "approver",
                        "{\"comment\":5}", 400),
                post("approve with an unknown field", "/api/v1/oversight/requests/{request}/approve", "approver",
                        "{\"force\":true}", 400),
                post("approve with malformed JSON", "/api/v1/oversight/requests/{request}/approve", "approver",
                        "{\"comment\":", 400),
                // --- cancelling, alerts, login
                post("cancel with an unknown field", "/api/v1/trades/{trade}/cancel", "trader", "{\"why\":\"x\"}", 400),
                post("cancel with malformed JSON", "/api/v1/trades/{trade}/cancel", "trader", "{", 400),
                post("alert severity apocalyptic", "/api/v1/alerts", "trader",
                        "{\"severity\":\"apocalyptic\",\"type\":\"note\",\"message\":\"m\"}", 400),
                post("alert without message", "/api/v1/alerts", "trader", "{\"severity\":\"info\",\"type\":\"note\"}", 400),
                post("alert type with spaces", "/api/v1/alerts", "trader",
                        "{\"severity\":\"info\",\"type\":\"not a type\",\"message\":\"m\"}", 400),
                post("alert on an unknown agent", "/api/v1/alerts", "trader",
                        "{\"severity\":\"info\",\"type\":\"note\",\"message\":\"m\",\"agentId\":\"no-such-agent\"}", 404),
                post("login with malformed JSON", "/api/v1/auth/login", null, "{\"username\":", 400),
                post("login without password", "/api/v1/auth/login", null, "{\"username\":\"trader\"}", 400),
                new Bad("login as form data", "POST", "/api/v1/auth/login", "application/x-www-form-urlencoded",
                        "username=trader&password=x", null, null, 415));
    }

    @TempDir
    static Path dataDir;
    private static TradingServer server;
    private static Api api;
    private static Map<String, String> tokens;
    private static String agentId;
    private static String tradeId;
    private static String requestId;
    private static Map<String, String> baseline;

    @BeforeAll
    static void start() {
        server = TradingServer.start(E2e.config(dataDir, Map.of()));
        api = new Api(server.baseUrl());
        tokens = Map.of("trader", api.login("trader"), "approver", api.login("approver"));
        agentId = api.createAgent(tokens.get("trader"), "Target", "100000", "balanced", "medium");
        api.trade(tokens.get("trader"), agentId, "AAPL", "buy", "10", "150").expect(201);
        JsonNode pending = api.trade(tokens.get("trader"), agentId, "MSFT", "buy", "150", "400").expect(202).json();
        tradeId = pending.path("trade").path("id").asText();
        requestId = pending.path("oversightRequest").path("id").asText();
        api.post("/api/v1/alerts", tokens.get("trader"), "{\"severity\":\"info\",\"type\":\"note\",\"message\":\"m\"}")
                .expect(201);
        baseline = snapshot();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theTableIsBigEnough() {
        assertTrue(badRequests().count() >= 40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndChangesNothing(Bad bad) {
        Response r = api.send(request(bad));

        assertEquals(bad.status(), r.status(), bad.name() + ": " + r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), bad.name() + ": " + r.contentType());
        JsonNode problem = r.json();
        assertEquals(bad.status(), problem.path("status").asInt(), r.body());
        assertFalse(problem.path("code").asText().isBlank(), r.body());
        assertFalse(problem.path("requestId").asText().isBlank(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "internals leaked: " + r.body());
        if (bad.status() == 400 && problem.path("code").asText().equals("validation_failed")) {
            assertTrue(problem.path("errors").size() > 0, "a validation failure names the field: " + r.body());
        }

        assertEquals(baseline, snapshot(), bad.name() + " changed the state");
    }

    private static HttpRequest.Builder request(Bad bad) {
        String path = bad.path().replace("{agent}", agentId).replace("{trade}", tradeId).replace("{request}", requestId);
        HttpRequest.Builder b = api.request(path, bad.caller() == null ? null : tokens.get(bad.caller()));
        if (bad.contentType() != null) {
            b.header("Content-Type", bad.contentType());
        }
        if (bad.idempotencyKey() != null) {
            b.header("Idempotency-Key", bad.idempotencyKey());
        }
        if (bad.method().equals("GET")) {
            return b.GET();
        }
        return b.POST(bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(bad.body()));
    }

    /** Everything a bad request could have touched, as the API shows it. */
    private static Map<String, String> snapshot() {
        String trader = tokens.get("trader");
        String approver = tokens.get("approver");
        Map<String, String> s = new LinkedHashMap<>();
        s.put("agents", api.get(AGENTS, trader).expect(200).body());
        s.put("agent", api.get(AGENTS + "/" + agentId, trader).expect(200).body());
        s.put("trades", api.get(AGENTS + "/" + agentId + "/trades", trader).expect(200).body());
        s.put("portfolio", api.get(AGENTS + "/" + agentId + "/portfolio", trader).expect(200).body());
        s.put("pending", api.get("/api/v1/oversight/requests?status=pending", approver).expect(200).body());
        s.put("alerts", api.get("/api/v1/alerts", approver).expect(200).body());
        return s;
    }
}
