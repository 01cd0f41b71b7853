package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertAmount;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;

/**
 * {@code METERING_GRPC_URL=local OVERSIGHT_GRPC_URL=local}: no gRPC at all (the in-process quota and
 * approval adapters), and the seed flow still works end to end.
 */
class GrpcLocalAdaptersE2ETest {

    @Test
    void theSeedFlowRunsOnTheInProcessAdapters(@TempDir Path dataDir) {
        try (TradingServer server = TradingServer.start(E2e.config(dataDir, Map.of(
                "METERING_GRPC_URL", "local", "OVERSIGHT_GRPC_URL", "local")))) {
            assertTrue(server.embeddedOversightServer().isEmpty(), "local: no oversight server embedded");
            Api api = new Api(server.baseUrl());
            JsonNode ready = api.get("/ready", null).expect(200).json();
            assertFalse(ready.path("checks").has("metering"), "no metering connection to check: " + ready);
            assertFalse(ready.path("checks").has("oversight"), "no oversight connection to check: " + ready);

            String trader = api.login("trader");
            String approver = api.login("approver");
            String agent = api.createAgent(trader, "Local", "100000", "balanced", "medium");

            JsonNode small = api.trade(trader, agent, "AAPL", "buy", "10", "150").expect(201).json();
            assertEquals("executed", small.path("status").asText());
            assertExactly("1500", small.path("amount"));

            JsonNode pending = api.trade(trader, agent, "MSFT", "buy", "150", "400").expect(202).json();
            String tradeId = pending.path("trade").path("id").asText();
            String requestId = pending.path("oversightRequest").path("id").asText();
            JsonNode decided = api.post("/api/v1/oversight/requests/" + requestId + "/approve", approver,
                    "{\"comment\":\"local approval\"}").expect(200).json();
            assertEquals("approved", decided.path("request").path("status").asText());
            assertEquals("executed", decided.path("trade").path("status").asText());
            assertEquals("executed", api.get("/api/v1/trades/" + tradeId, trader).expect(200).text("status"));

            JsonNode portfolio = api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
            assertExactly("38500", portfolio.path("cash"));
            assertExactly("0", portfolio.path("reservedCash"));
            assertEquals(2, portfolio.path("positions").size());
            JsonNode usage = api.get("/api/v1/agents/" + agent + "/usage", trader).expect(200).json();
            assertAmount("61500", usage.path("used"));
            assertAmount("100000", usage.path("limit"));
        }
    }
}
