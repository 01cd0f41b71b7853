package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * The settings that shape behaviour over time, end to end: a one-second approval TTL with the
 * expiry job every 100 ms (a pending trade is cancelled by itself), a lower approval threshold,
 * a per-agent trade rate limit of 3 a minute, and the outbox relay pass of the same scheduler.
 */
class ExpiryAndLimitsE2ETest {

    @TempDir
    static Path dataDir;
    private static TradingServer server;
    private static Api api;
    private static String trader;

    @BeforeAll
    static void start() {
        server = TradingServer.start(E2e.config(dataDir, Map.of(
                "APPROVAL_TTL", "PT1S",
                "EXPIRY_CHECK_INTERVAL", "PT0.1S",
                "APPROVAL_THRESHOLD_USD", "5000",
                "RATE_LIMIT_AGENT_PER_MINUTE", "3")));
        api = new Api(server.baseUrl());
        trader = api.login("trader");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUndecidedRequestExpiresAndItsTradeIsCancelled() {
        String agent = api.createAgent(trader, "Slowpoke", "100000", "balanced", "medium");
        // 6000 is above the configured threshold of 5000 (and well below the default 50000)
        JsonNode pending = api.trade(trader, agent, "AAPL", "buy", "40", "150").expect(202).json();
        String tradeId = pending.path("trade").path("id").asText();
        String requestId = pending.path("oversightRequest").path("id").asText();
        Instant created = Instant.parse(pending.path("oversightRequest").path("createdAt").asText());
        Instant expires = Instant.parse(pending.path("oversightRequest").path("expiresAt").asText());
        assertEquals(Duration.ofSeconds(1), Duration.between(created, expires), "APPROVAL_TTL sets expiresAt");

        Response cancelled = api.await("/api/v1/trades/" + tradeId, trader,
                r -> r.status() == 200 && r.text("status").equals("cancelled"), Duration.ofSeconds(10));
        assertTrue(cancelled.json().hasNonNull("cancelledAt"));
        assertEquals("expired", api.get("/api/v1/oversight/requests/" + requestId, trader).expect(200).text("status"));
        assertExactly("0", api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json()
                .path("reservedCash"));
    }

    @Test
    void theSchedulerRecordsOutboxDeliveries() throws InterruptedException {
        String agent = api.createAgent(trader, "Relayed", "100000", "balanced", "medium");
        api.trade(trader, agent, "AAPL", "buy", "1", "150").expect(201);
        // delivered right after commit; the acknowledgement is written by the scheduler's relay pass
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.demo().outboxRelay().backlog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.demo().outboxRelay().backlog());
    }

    @Test
    void theFourthTradeOfAMinuteOnOneAgentIsRateLimited() {
        String agent = api.createAgent(trader, "Busy", "100000", "balanced", "medium");
        for (int i = 0; i < 3; i++) {
            api.trade(trader, agent, "AAPL", "buy", "1", "150").expect(201);
        }
        Response limited = api.trade(trader, agent, "AAPL", "buy", "1", "150").expectProblem(429, "rate_limited");
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
        assertEquals("3", limited.header("RateLimit-Limit"));
        assertEquals(3, api.get("/api/v1/agents/" + agent + "/trades", trader).expect(200).json().path("items").size());
    }
}
