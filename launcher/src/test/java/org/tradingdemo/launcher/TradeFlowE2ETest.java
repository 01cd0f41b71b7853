package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertAmount;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * The seed scenarios over real HTTP against the whole wired service: log in, create an agent,
 * trade on its own, trade under oversight (approve, reject, cancel), run into the quota. Every
 * test uses its own agent, so their quotas and portfolios never meet.
 */
class TradeFlowE2ETest {

    @TempDir
    static Path dataDir;
    private static TradingServer server;
    private static Api api;
    private static String trader;
    private static String approver;
    private static String admin;

    @BeforeAll
    static void start() {
        server = TradingServer.start(E2e.config(dataDir, Map.of()));
        api = new Api(server.baseUrl());
        trader = api.login("trader");
        approver = api.login("approver");
        admin = api.login("admin");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loginAnswersATokenAndTheUserAndRefusesAWrongPassword() {
        JsonNode body = api.post("/api/v1/auth/login", null,
                "{\"username\":\"viewer\",\"password\":\"" + E2e.PASSWORDS.get("viewer") + "\"}").expect(200).json();
        assertEquals("Bearer", body.path("tokenType").asText());
        assertEquals("viewer", body.path("user").path("username").asText());
        assertEquals("viewer", body.path("user").path("role").asText());
        assertEquals("[\"read\"]", body.path("user").path("scopes").toString());
        assertFalse(body.path("token").asText().isBlank());

        api.post("/api/v1/auth/login", null, "{\"username\":\"viewer\",\"password\":\"wrong-password\"}")
                .expectProblem(401, "invalid_credentials");
        api.post("/api/v1/auth/login", null, "{\"username\":\"nobody\",\"password\":\"wrong-password\"}")
                .expectProblem(401, "invalid_credentials");
    }

    @Test
    void aSmallTradeExecutesOnItsOwnWithTheExactAmount() {
        String agent = api.createAgent(trader, "Alpha", "100000", "balanced", "medium");
        Response agentView = api.get("/api/v1/agents/" + agent, trader).expect(200);
        assertEquals("active", agentView.text("status"));
        assertExactly("100000", agentView.json().path("config").path("budget"));

        Response r = api.post("/api/v1/agents/" + agent + "/trades", trader,
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,\"type\":\"limit\"}").expect(201);
        JsonNode trade = r.json();
        assertEquals("executed", trade.path("status").asText());
        assertExactly("1500", trade.path("amount"));
        assertExactly("10", trade.path("quantity"));
        assertExactly("150", trade.path("price"));
        assertEquals("/api/v1/trades/" + trade.path("id").asText(), r.header("Location"));
        assertNotNull(r.header("X-Request-Id"));
        assertNotNull(r.header("RateLimit-Remaining"));
        assertFalse(trade.path("executedAt").isNull());

        JsonNode portfolio = api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
        assertExactly("98500", portfolio.path("cash"));
        assertExactly("0", portfolio.path("reservedCash"));
        assertEquals(1, portfolio.path("positions").size());
        assertEquals("AAPL", portfolio.path("positions").get(0).path("symbol").asText());
        assertExactly("10", portfolio.path("positions").get(0).path("quantity"));

        JsonNode usage = api.get("/api/v1/agents/" + agent + "/usage", trader).expect(200).json();
        assertExactly("1500", usage.path("used"));
        assertExactly("100000", usage.path("limit"));
    }

    @Test
    void aLargeTradeWaitsForApprovalAndExecutesWhenApproved() {
        String agent = api.createAgent(trader, "Bravo", "100000", "balanced", "medium");
        Response pending = api.trade(trader, agent, "MSFT", "buy", "150", "400").expect(202);
        JsonNode trade = pending.json().path("trade");
        JsonNode request = pending.json().path("oversightRequest");
        assertEquals("pending_approval", trade.path("status").asText());
        assertExactly("60000", trade.path("amount"));
        assertEquals("pending", request.path("status").asText());
        assertEquals(trade.path("id").asText(), request.path("tradeId").asText());

        JsonNode reserved = api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
        assertExactly("60000", reserved.path("reservedCash"));
        assertExactly("40000", reserved.path("availableCash"));
        assertTrue(metric("oversight_pending_requests") >= 1, "the pending-approvals gauge counts it");

        String requestId = request.path("id").asText();
        JsonNode decided = api.post("/api/v1/oversight/requests/" + requestId + "/approve", approver,
                "{\"comment\":\"within mandate\"}").expect(200).json();
        assertEquals("approved", decided.path("request").path("status").asText());
        assertEquals("executed", decided.path("trade").path("status").asText());
        assertEquals("within mandate", decided.path("request").path("comment").asText());

        JsonNode after = api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
        assertExactly("40000", after.path("cash"));
        assertExactly("0", after.path("reservedCash"));
        JsonNode position = after.path("positions").get(0);
        assertEquals("MSFT", position.path("symbol").asText());
        assertExactly("150", position.path("quantity"));
        assertExactly("400", position.path("averagePrice"));

        assertEquals("executed", api.get("/api/v1/trades/" + trade.path("id").asText(), trader).expect(200)
                .text("status"));
        // first decision wins
        api.post("/api/v1/oversight/requests/" + requestId + "/reject", approver, "{\"comment\":\"too late\"}")
                .expectProblem(409, "request_closed");
    }

    @Test
    void aRejectedTradeReleasesTheReservedCash() {
        String agent = api.createAgent(trader, "Charlie", "100000", "balanced", "medium");
        JsonNode pending = api.trade(trader, agent, "MSFT", "buy", "150", "400").expect(202).json();
        String requestId = pending.path("oversightRequest").path("id").asText();

        JsonNode decided = api.post("/api/v1/oversight/requests/" + requestId + "/reject", approver,
                "{\"comment\":\"too concentrated\"}").expect(200).json();
        assertEquals("rejected", decided.path("request").path("status").asText());
        assertEquals("rejected", decided.path("trade").path("status").asText());

        JsonNode portfolio = api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
        assertExactly("100000", portfolio.path("cash"));
        assertExactly("0", portfolio.path("reservedCash"));
        assertExactly("100000", portfolio.path("availableCash"));
        assertEquals(0, portfolio.path("positions").size());
    }

    @Test
    void theOwnerCancelsAPendingTrade() {
        String agent = api.createAgent(trader, "Delta", "100000", "balanced", "medium");
        JsonNode pending = api.trade(trader, agent, "MSFT", "buy", "150", "400").expect(202).json();
        String tradeId = pending.path("trade").path("id").asText();
        String requestId = pending.path("oversightRequest").path("id").asText();

        JsonNode cancelled = api.post("/api/v1/trades/" + tradeId + "/cancel", trader,
                "{\"reason\":\"changed my mind\"}").expect(200).json();
        assertEquals("cancelled", cancelled.path("status").asText());
        assertFalse(cancelled.path("cancelledAt").isNull());

        assertExactly("0", api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json()
                .path("reservedCash"));
        assertEquals("cancelled", api.get("/api/v1/oversight/requests/" + requestId, approver).expect(200)
                .text("status"));
        api.post("/api/v1/trades/" + tradeId + "/cancel", trader, null).expectProblem(409, "trade_not_open");
        api.post("/api/v1/oversight/requests/" + requestId + "/approve", approver, null)
                .expectProblem(409, "request_closed");
    }

    @Test
    void aTradeBeyondTheDailyQuotaIs429WithRetryAfter() {
        // budget 1000 = daily quota 1000; a high-tolerance aggressive agent may buy 750 on its own
        String agent = api.createAgent(trader, "Echo", "1000", "aggressive", "high");
        api.trade(trader, agent, "AAPL", "buy", "5", "150").expect(201);
        // selling it back is another 750 of volume: 1500 > 1000
        Response refused = api.trade(trader, agent, "AAPL", "sell", "5", "150").expectProblem(429, "quota_exceeded");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "Retry-After until the daily reset: " + retryAfter);
        JsonNode problem = refused.json();
        assertAmount("750", problem.path("used"));
        assertAmount("1000", problem.path("limit"));
        assertAmount("250", problem.path("remaining"));
        assertFalse(problem.path("resetAt").asText().isBlank());

        // nothing was created by the refusal
        JsonNode trades = api.get("/api/v1/agents/" + agent + "/trades", trader).expect(200).json();
        assertEquals(1, trades.path("items").size());
    }

    @Test
    void anApproverMayNotDecideOnTheirOwnAgentsTrade() {
        String agent = api.createAgent(admin, "Foxtrot", "100000", "balanced", "medium");
        String requestId = api.trade(admin, agent, "MSFT", "buy", "150", "400").expect(202).json()
                .path("oversightRequest").path("id").asText();
        api.post("/api/v1/oversight/requests/" + requestId + "/approve", admin, null)
                .expectProblem(403, "self_approval_forbidden");
        api.post("/api/v1/oversight/requests/" + requestId + "/approve", approver, null).expect(200);
    }

    @Test
    void theSameClientOrderIdNeverExecutesTwice() {
        String agent = api.createAgent(trader, "Golf", "100000", "balanced", "medium");
        String order = "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,\"type\":\"limit\","
                + "\"clientOrderId\":\"order-1\"}";
        String first = api.post("/api/v1/agents/" + agent + "/trades", trader, order).expect(201).text("id");
        Response replay = api.post("/api/v1/agents/" + agent + "/trades", trader, order).expect(201);
        assertEquals(first, replay.text("id"));
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertExactly("98500", api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json()
                .path("cash"));
    }

    @Test
    void opsEndpointsArePublic() {
        assertEquals("ok", api.get("/health", null).expect(200).text("status"));
        JsonNode ready = api.get("/ready", null).expect(200).json();
        assertEquals("ready", ready.path("status").asText());
        assertEquals("up", ready.path("checks").path("store").asText());
        assertTrue(api.get("/metrics", null).expect(200).body().contains("http_server_requests_seconds"));
        assertEquals("3.1.0", api.get("/openapi.json", null).expect(200).json().path("openapi").asText());
    }

    private double metric(String name) {
        for (String line : api.get("/metrics", null).expect(200).body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
