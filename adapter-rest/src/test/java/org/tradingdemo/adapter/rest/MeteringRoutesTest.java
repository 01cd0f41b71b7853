package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.RouteTestServer.AGENT_ID;
import static org.tradingdemo.adapter.rest.RouteTestServer.assertProblem;
import static org.tradingdemo.adapter.rest.RouteTestServer.costReport;
import static org.tradingdemo.adapter.rest.RouteTestServer.errorFields;
import static org.tradingdemo.adapter.rest.RouteTestServer.keys;
import static org.tradingdemo.adapter.rest.RouteTestServer.portfolioAfterBuy;
import static org.tradingdemo.adapter.rest.RouteTestServer.usageReport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.tradingdemo.app.port.in.GetCostReportUseCase.CostQuery;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.app.port.in.UsageSummary;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.MeteringUnavailableException;

class MeteringRoutesTest {

    private static final List<String> USAGE_KEYS = List.of("agentId", "period", "periodStart", "resetAt", "used",
            "limit", "remaining", "byType", "cost");

    private RouteTestServer server;

    @BeforeEach
    void start() {
        server = new RouteTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- portfolio ----

    @Test
    void thePortfolioIsValuedWithExactNumbers() {
        when(server.useCases.getPortfolio().get(any(), eq(AGENT_ID)))
                .thenReturn(Optional.of(portfolioAfterBuy().valueAt(symbol -> Optional.of(Price.of("160.10")))));

        RouteTestServer.Response r = server.get("/api/v1/agents/agent-1/portfolio", "viewer");

        assertEquals(200, r.status(), r.body());
        JsonNode p = r.json();
        assertEquals(List.of("agentId", "cash", "reservedCash", "availableCash", "positions", "realizedPnL",
                "unrealizedPnL", "totalValue"), keys(p));
        assertEquals(List.of("symbol", "quantity", "averagePrice", "currentPrice", "marketValue", "unrealizedPnL"),
                keys(p.get("positions").get(0)));
        // 100,000 − 10 × 150 = 98,500 cash; 10 × 160.10 = 1,601 market value; 101 unrealised
        assertTrue(r.body().contains("\"cash\":98500,\"reservedCash\":0,\"availableCash\":98500,"), r.body());
        assertTrue(r.body().contains("{\"symbol\":\"AAPL\",\"quantity\":10,\"averagePrice\":150,"
                + "\"currentPrice\":160.1,\"marketValue\":1601,\"unrealizedPnL\":101}"), r.body());
        assertTrue(r.body().contains("\"realizedPnL\":0,\"unrealizedPnL\":101,\"totalValue\":100101}"), r.body());
    }

    @Test
    void thePortfolioOfAnUnknownAgentIs404() {
        when(server.useCases.getPortfolio().get(any(), any())).thenReturn(Optional.empty());
        assertProblem(server.get("/api/v1/agents/agent-9/portfolio", "trader"), 404, "not_found");
        assertProblem(server.get("/api/v1/agents/bad$id/portfolio", "trader"), 404, "not_found");
    }

    // ---- agent usage ----

    @Test
    void agentUsageDefaultsToTheDailyWindow() {
        when(server.useCases.getAgentUsage().usage(any(), eq(AGENT_ID), eq(UsagePeriod.DAILY)))
                .thenReturn(Optional.of(usageReport(UsagePeriod.DAILY)));

        RouteTestServer.Response r = server.get("/api/v1/agents/agent-1/usage", "trader");

        assertEquals(200, r.status(), r.body());
        assertEquals(USAGE_KEYS, keys(r.json()));
        assertEquals("daily", r.json().get("period").asText());
        assertEquals("2026-01-15T00:00:00Z", r.json().get("periodStart").asText());
        assertEquals("2026-01-16T00:00:00Z", r.json().get("resetAt").asText());
        assertTrue(r.body().contains("\"used\":1500,\"limit\":100000,\"remaining\":98500,"), r.body());
        assertEquals(List.of("agent_created", "trade_executed"), keys(r.json().get("byType")), "wire names, enum order");
        assertTrue(r.body().contains("\"trade_executed\":{\"count\":1,\"amount\":1500,\"cost\":0.16}"), r.body());
        assertTrue(r.body().contains("\"cost\":1.16}"), r.body());
    }

    @Test
    void agentUsageTakesTheMonthlyWindow() {
        when(server.useCases.getAgentUsage().usage(any(), eq(AGENT_ID), eq(UsagePeriod.MONTHLY)))
                .thenReturn(Optional.of(usageReport(UsagePeriod.MONTHLY)));
        RouteTestServer.Response r = server.get("/api/v1/agents/agent-1/usage?period=monthly", "trader");
        assertEquals(200, r.status(), r.body());
        assertEquals("monthly", r.json().get("period").asText());
    }

    @Test
    void aBadPeriodIs400AndAnUnknownAgent404() {
        JsonNode p = assertProblem(server.get("/api/v1/agents/agent-1/usage?period=weekly", "trader"), 400,
                "validation_failed");
        assertEquals(List.of("period"), errorFields(p));
        verifyNoInteractions(server.useCases.getAgentUsage());

        when(server.useCases.getAgentUsage().usage(any(), any(), any())).thenReturn(Optional.empty());
        assertProblem(server.get("/api/v1/agents/agent-1/usage", "trader"), 404, "not_found");
    }

    @Test
    void usageWhileMeteringIsDownIs503WithRetryAfterNotA500() {
        when(server.useCases.getAgentUsage().usage(any(), eq(AGENT_ID), eq(UsagePeriod.DAILY)))
                .thenThrow(new MeteringUnavailableException("metering GetQuotaStatus failed", Duration.ofSeconds(2), null));
        RouteTestServer.Response r = server.get("/api/v1/agents/agent-1/usage", "trader");
        assertProblem(r, 503, "metering_unavailable");
        assertEquals("2", r.header("Retry-After"));
        assertTrue(!r.body().contains("GetQuotaStatus"), "no internals in the answer: " + r.body());
    }

    // ---- /metering/usage ----

    @Test
    void theUsageSummaryAddsDecimalsExactly() {
        Money pointOne = Money.usd("0.10");
        Money pointTwo = Money.usd("0.20");
        UsageSummary summary = new UsageSummary(UsagePeriod.DAILY, Instant.parse("2026-01-15T00:00:00Z"),
                Instant.parse("2026-01-16T00:00:00Z"), List.of(usageReport(UsagePeriod.DAILY)),
                Map.of(UsageType.TRADE_EXECUTED, new UsageReport.TypeUsage(3, Money.usd(4500), pointOne),
                        UsageType.OVERSIGHT_REQUESTED, new UsageReport.TypeUsage(1, Money.usd(0), pointTwo)),
                pointOne.plus(pointTwo));
        when(server.useCases.getUsageSummary().summary(any(), eq(UsagePeriod.DAILY))).thenReturn(summary);

        RouteTestServer.Response r = server.get("/api/v1/metering/usage", "approver");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("period", "periodStart", "resetAt", "agents", "totals", "totalCost"), keys(r.json()));
        assertEquals(USAGE_KEYS, keys(r.json().get("agents").get(0)));
        assertEquals(List.of("trade_executed", "oversight_requested"), keys(r.json().get("totals")));
        assertTrue(r.body().endsWith("\"totalCost\":0.3}"), "0.1 + 0.2 = 0.3 exactly: " + r.body());
    }

    @Test
    void theUsageSummaryRefusesABadPeriod() {
        JsonNode p = assertProblem(server.get("/api/v1/metering/usage?period=hourly", "trader"), 400,
                "validation_failed");
        assertEquals(List.of("period"), errorFields(p));
        verifyNoInteractions(server.useCases.getUsageSummary());
    }

    // ---- /metering/costs ----

    @Test
    void theCostReportShowsCostsPerAgentPerTypeAndThePrices() {
        when(server.useCases.getCostReport().costs(any())).thenReturn(costReport());

        RouteTestServer.Response r = server.get("/api/v1/metering/costs?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
                "trader");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("from", "to", "agents", "byType", "total", "prices"), keys(r.json()));
        assertEquals(List.of("agentId", "byType", "total"), keys(r.json().get("agents").get(0)));
        assertTrue(r.body().contains("\"byType\":{\"trade_executed\":0.1,\"oversight_requested\":0.2},\"total\":0.3"),
                r.body());
        assertEquals(List.of("perEvent", "volumeRate"), keys(r.json().get("prices")));
        assertTrue(r.body().contains("\"perEvent\":{\"agent_created\":1,\"trade_executed\":0.01,"
                + "\"oversight_requested\":0.25,\"api_call\":0},\"volumeRate\":0.0001}"), r.body());

        ArgumentCaptor<CostQuery> query = ArgumentCaptor.forClass(CostQuery.class);
        verify(server.useCases.getCostReport()).costs(query.capture());
        assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), query.getValue().from());
        assertEquals(Optional.of(Instant.parse("2026-02-01T00:00:00Z")), query.getValue().to());
    }

    @Test
    void theCostRangeDefaultsInTheUseCase() {
        when(server.useCases.getCostReport().costs(any())).thenReturn(costReport());
        assertEquals(200, server.get("/api/v1/metering/costs", "viewer").status());
        ArgumentCaptor<CostQuery> query = ArgumentCaptor.forClass(CostQuery.class);
        verify(server.useCases.getCostReport()).costs(query.capture());
        assertEquals(Optional.empty(), query.getValue().from());
        assertEquals(Optional.empty(), query.getValue().to());
    }

    @Test
    void badCostRangesAre400() {
        JsonNode both = assertProblem(server.get("/api/v1/metering/costs?from=last-week&to=2026", "trader"), 400,
                "validation_failed");
        assertEquals(List.of("from", "to"), errorFields(both));
        JsonNode reversed = assertProblem(server.get(
                "/api/v1/metering/costs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "trader"), 400,
                "validation_failed");
        assertEquals(List.of("to"), errorFields(reversed));
        verifyNoInteractions(server.useCases.getCostReport());
    }

    @Test
    void everyMeteringReadNeedsTheReadScope() {
        for (String path : List.of("/api/v1/agents/agent-1/portfolio", "/api/v1/agents/agent-1/usage",
                "/api/v1/metering/usage", "/api/v1/metering/costs")) {
            assertProblem(server.get(path, "trader", "X-Test-Scopes", "trade:submit,agent:create"), 403,
                    "insufficient_scope");
            assertProblem(server.get(path, null), 401, "unauthorized");
        }
        verifyNoInteractions(server.useCases.getPortfolio(), server.useCases.getAgentUsage(),
                server.useCases.getUsageSummary(), server.useCases.getCostReport());
    }
}
