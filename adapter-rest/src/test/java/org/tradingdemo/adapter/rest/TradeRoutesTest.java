package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.RouteTestServer.AGENT_ID;
import static org.tradingdemo.adapter.rest.RouteTestServer.NOW;
import static org.tradingdemo.adapter.rest.RouteTestServer.agent;
import static org.tradingdemo.adapter.rest.RouteTestServer.assertProblem;
import static org.tradingdemo.adapter.rest.RouteTestServer.dec;
import static org.tradingdemo.adapter.rest.RouteTestServer.errorFields;
import static org.tradingdemo.adapter.rest.RouteTestServer.executedTrade;
import static org.tradingdemo.adapter.rest.RouteTestServer.keys;
import static org.tradingdemo.adapter.rest.RouteTestServer.pendingRequest;
import static org.tradingdemo.adapter.rest.RouteTestServer.pendingTrade;
import static org.tradingdemo.adapter.rest.RouteTestServer.portfolioAfterBuy;
import static org.tradingdemo.adapter.rest.RouteTestServer.quotaRefused;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase.CancelTradeCommand;
import org.tradingdemo.app.port.in.ListTradesUseCase.ListTradesQuery;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;

class TradeRoutesTest {

    private static final String SUBMIT = "/api/v1/agents/agent-1/trades";
    private static final String ORDER = "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150}";
    private static final List<String> TRADE_KEYS = List.of("id", "agentId", "clientOrderId", "symbol", "side",
            "quantity", "price", "type", "status", "amount", "submittedAt", "executedAt", "cancelledAt", "reason");
    private static final List<String> REQUEST_KEYS = List.of("id", "tradeId", "agentId", "reason", "riskLevel",
            "status", "createdAt", "expiresAt", "processedAt", "processedBy", "comment");

    private RouteTestServer server;

    @BeforeEach
    void start() {
        server = new RouteTestServer();
        // the caller may see agent-1 (the route checks before it spends a rate-limit token)
        when(server.useCases.getAgent().get(any(), eq(AGENT_ID))).thenReturn(Optional.of(agent()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void submitAnswers(SubmitTradeResult result) {
        when(server.useCases.submitTrade().submit(any())).thenReturn(result);
    }

    private SubmitTradeCommand submitted() {
        ArgumentCaptor<SubmitTradeCommand> command = ArgumentCaptor.forClass(SubmitTradeCommand.class);
        verify(server.useCases.submitTrade()).submit(command.capture());
        return command.getValue();
    }

    // ---- POST /agents/{id}/trades: every result variant ----

    static Stream<Arguments> submitOutcomes() {
        Trade executed = executedTrade();
        Trade rejected = pendingTrade().reject("too risky", NOW);
        return Stream.of(
                Arguments.of(new SubmitTradeResult.Executed(executed, portfolioAfterBuy(), false), 201, null, "executed"),
                Arguments.of(new SubmitTradeResult.Executed(executed, portfolioAfterBuy(), true), 201, null, "replayed"),
                Arguments.of(new SubmitTradeResult.PendingApproval(pendingTrade(), pendingRequest(), false), 202, null,
                        "pending_approval"),
                Arguments.of(new SubmitTradeResult.PendingApproval(pendingTrade(), pendingRequest(), true), 202, null,
                        "replayed"),
                Arguments.of(new SubmitTradeResult.AlreadyProcessed(rejected), 200, null, "already_processed"),
                Arguments.of(new SubmitTradeResult.IdempotencyConflict(executed), 409, "idempotency_conflict",
                        "idempotency_conflict"),
                Arguments.of(new SubmitTradeResult.AgentNotFound(), 404, "not_found", "agent_not_found"),
                Arguments.of(new SubmitTradeResult.AgentNotActive(AgentStatus.SUSPENDED), 409, "agent_not_active",
                        "agent_not_active"),
                Arguments.of(new SubmitTradeResult.NoMarketPrice("XYZ"), 422, "no_market_price", "no_market_price"),
                Arguments.of(new SubmitTradeResult.InsufficientFunds(dec("1500.00"), dec("1000.50")), 422,
                        "insufficient_funds", "insufficient_funds"),
                Arguments.of(new SubmitTradeResult.InsufficientPosition("AAPL", dec("10"), dec("2.5")), 422,
                        "insufficient_position", "insufficient_position"),
                Arguments.of(new SubmitTradeResult.QuotaExceeded(quotaRefused()), 429, "quota_exceeded", "quota_exceeded"),
                Arguments.of(new SubmitTradeResult.DependencyUnavailable("metering", Duration.ofSeconds(7)), 503,
                        "metering_unavailable", "metering_unavailable"),
                Arguments.of(new SubmitTradeResult.DependencyUnavailable("oversight", Duration.ofMillis(2500)), 503,
                        "oversight_unavailable", "oversight_unavailable"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("submitOutcomes")
    void everySubmitResultHasItsStatusCodeAndMetric(SubmitTradeResult result, int status, String code, String outcome) {
        submitAnswers(result);

        RouteTestServer.Response r = server.post(SUBMIT, "trader", ORDER);

        if (code == null) {
            assertEquals(status, r.status(), r.body());
            assertTrue(r.header("Content-Type").startsWith("application/json"));
        } else {
            assertProblem(r, status, code);
        }
        verify(server.metrics).tradeOutcome(outcome);
        verify(server.limits).checkAgentTrade(any(), eq(AGENT_ID));
    }

    @Test
    void theSubmitTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = submitOutcomes().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(SubmitTradeResult.class.getPermittedSubclasses()), mapped);
    }

    @Test
    void anExecutedTradeIs201WithTheTradeShapeAndLocation() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), false));

        RouteTestServer.Response r = server.post(SUBMIT, "trader", ORDER);

        assertEquals(201, r.status(), r.body());
        assertEquals("/api/v1/trades/trade-1", r.header("Location"));
        assertNull(r.header("Idempotent-Replayed"), "a first answer is no replay");
        JsonNode t = r.json();
        assertEquals(TRADE_KEYS, keys(t));
        assertTrue(r.body().contains("\"quantity\":10,\"price\":150,"), r.body());
        assertTrue(r.body().contains("\"amount\":1500,"), "10 × 150 = 1500 exactly: " + r.body());
        assertEquals("trade-1", t.get("id").asText());
        assertEquals("agent-1", t.get("agentId").asText());
        assertEquals("AAPL", t.get("symbol").asText());
        assertEquals("buy", t.get("side").asText());
        assertEquals("limit", t.get("type").asText());
        assertEquals("executed", t.get("status").asText());
        assertEquals(NOW.toString(), t.get("submittedAt").asText());
        assertEquals(NOW.toString(), t.get("executedAt").asText());
        for (String absent : List.of("clientOrderId", "cancelledAt", "reason")) {
            assertTrue(t.get(absent).isNull(), absent + " is written as null");
        }
    }

    @Test
    void aChunkedBodyIsReadAndAnOversizedOneRefusedWith413() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), false));

        RouteTestServer.Response r = server.postChunked(SUBMIT, "trader", ORDER);
        assertEquals(201, r.status(), r.body());

        String huge = ORDER.replace("{", "{\"clientOrderId\":\"" + "x".repeat(70 * 1024) + "\",");
        RouteTestServer.assertProblem(server.postChunked(SUBMIT, "trader", huge), 413, "payload_too_large");
        RouteTestServer.assertProblem(server.post(SUBMIT, "trader", huge), 413, "payload_too_large");
    }

    @Test
    void aTradeAwaitingApprovalIs202WithTradeAndOversightRequest() {
        submitAnswers(new SubmitTradeResult.PendingApproval(pendingTrade(), pendingRequest(), false));

        RouteTestServer.Response r = server.post(SUBMIT, "trader", ORDER);

        assertEquals(202, r.status(), r.body());
        assertEquals(List.of("trade", "oversightRequest"), keys(r.json()));
        JsonNode trade = r.json().get("trade");
        JsonNode request = r.json().get("oversightRequest");
        assertEquals(TRADE_KEYS, keys(trade));
        assertEquals("pending_approval", trade.get("status").asText());
        assertEquals("order-2", trade.get("clientOrderId").asText());
        assertEquals(REQUEST_KEYS, keys(request));
        assertEquals("req-1", request.get("id").asText());
        assertEquals("trade-2", request.get("tradeId").asText());
        assertEquals("high", request.get("riskLevel").asText());
        assertEquals("pending", request.get("status").asText());
        assertEquals(NOW.plus(Duration.ofHours(1)).toString(), request.get("expiresAt").asText());
        assertTrue(request.get("processedAt").isNull() && request.get("processedBy").isNull()
                && request.get("comment").isNull());
        assertTrue(!r.body().contains("quota-reservation-secret"), "the quota reservation handle stays inside");
    }

    @Test
    void aReplayAnswersTheOriginalStatusMarkedAsReplayed() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), true));
        RouteTestServer.Response executed = server.post(SUBMIT, "trader", ORDER, "Idempotency-Key", "order-1");
        assertEquals(201, executed.status());
        assertEquals("true", executed.header("Idempotent-Replayed"));

        submitAnswers(new SubmitTradeResult.PendingApproval(pendingTrade(), pendingRequest(), true));
        RouteTestServer.Response pending = server.post(SUBMIT, "trader", ORDER, "Idempotency-Key", "order-2");
        assertEquals(202, pending.status());
        assertEquals("true", pending.header("Idempotent-Replayed"));

        Trade cancelled = pendingTrade().cancel("withdrawn by the owner", NOW.plusSeconds(30));
        submitAnswers(new SubmitTradeResult.AlreadyProcessed(cancelled));
        RouteTestServer.Response closed = server.post(SUBMIT, "trader", ORDER, "Idempotency-Key", "order-2");
        assertEquals(200, closed.status(), "a replay of a closed trade answers 200 with the trade");
        assertEquals("true", closed.header("Idempotent-Replayed"));
        assertEquals(TRADE_KEYS, keys(closed.json()));
        assertEquals("cancelled", closed.json().get("status").asText());
        assertEquals("withdrawn by the owner", closed.json().get("reason").asText());
        assertEquals(NOW.plusSeconds(30).toString(), closed.json().get("cancelledAt").asText());
    }

    @Test
    void quotaExceededIs429WithRetryAfterUntilTheResetAndTheQuotaNumbers() {
        submitAnswers(new SubmitTradeResult.QuotaExceeded(quotaRefused()));

        RouteTestServer.Response r = server.post(SUBMIT, "trader", ORDER);

        JsonNode p = assertProblem(r, 429, "quota_exceeded");
        // NOW is 10:00 UTC, the daily window resets at midnight: 14 hours
        assertEquals(String.valueOf(Duration.ofHours(14).toSeconds()), r.header("Retry-After"));
        assertEquals("2026-01-16T00:00:00Z", p.get("resetAt").asText());
        assertTrue(r.body().contains("\"used\":99000") && r.body().contains("\"limit\":100000")
                && r.body().contains("\"remaining\":1000"), r.body());
        assertEquals("daily", p.get("period").asText());
    }

    @Test
    void dependencyOutagesAre503WithRetryAfter() {
        submitAnswers(new SubmitTradeResult.DependencyUnavailable("metering", Duration.ofSeconds(7)));
        RouteTestServer.Response metering = server.post(SUBMIT, "trader", ORDER);
        assertProblem(metering, 503, "metering_unavailable");
        assertEquals("7", metering.header("Retry-After"));

        submitAnswers(new SubmitTradeResult.DependencyUnavailable("oversight", Duration.ofMillis(2500)));
        RouteTestServer.Response oversight = server.post(SUBMIT, "trader", ORDER);
        assertProblem(oversight, 503, "oversight_unavailable");
        assertEquals("3", oversight.header("Retry-After"), "rounded up to whole seconds");
    }

    @Test
    void refusalsCarryTheirNumbers() {
        submitAnswers(new SubmitTradeResult.InsufficientFunds(dec("1500.00"), dec("1000.50")));
        RouteTestServer.Response funds = server.post(SUBMIT, "trader", ORDER);
        assertProblem(funds, 422, "insufficient_funds");
        assertTrue(funds.body().contains("\"required\":1500") && funds.body().contains("\"available\":1000.5"),
                funds.body());

        submitAnswers(new SubmitTradeResult.InsufficientPosition("AAPL", dec("10"), dec("2.50")));
        RouteTestServer.Response position = server.post(SUBMIT, "trader", ORDER);
        JsonNode p = assertProblem(position, 422, "insufficient_position");
        assertEquals("AAPL", p.get("symbol").asText());
        assertTrue(position.body().contains("\"requested\":10") && position.body().contains("\"available\":2.5"),
                position.body());

        submitAnswers(new SubmitTradeResult.AgentNotActive(AgentStatus.SUSPENDED));
        JsonNode inactive = assertProblem(server.post(SUBMIT, "trader", ORDER), 409, "agent_not_active");
        assertEquals("suspended", inactive.get("agentStatus").asText());

        submitAnswers(new SubmitTradeResult.IdempotencyConflict(executedTrade()));
        JsonNode conflict = assertProblem(server.post(SUBMIT, "trader", ORDER), 409, "idempotency_conflict");
        assertEquals("trade-1", conflict.get("tradeId").asText());
    }

    // ---- the command built from the request ----

    @Test
    void theCommandCarriesTheOrderExactly() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), false));

        server.post(SUBMIT, "trader",
                "{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"quantity\":0.1,\"price\":0.2,\"type\":\"limit\","
                        + "\"clientOrderId\":\"c-1\"}");

        SubmitTradeCommand c = submitted();
        assertEquals(AGENT_ID, c.agentId());
        assertEquals(Symbol.of("BTC/USD"), c.symbol());
        assertEquals(Side.SELL, c.side());
        assertEquals(0, c.quantity().value().compareTo(dec("0.1")), "no detour through double");
        assertEquals(Optional.of(Price.of("0.2")), c.price());
        assertEquals(dec("0.3"), c.quantity().value().add(c.price().get().value()), "0.1 + 0.2 = 0.3 exactly");
        assertEquals(OrderType.LIMIT, c.type());
        assertEquals(Optional.of(ClientOrderId.of("c-1")), c.clientOrderId());
        assertEquals("u-trader", c.actor().userId().value());
    }

    @Test
    void aMarketOrderNeedsNoPrice() {
        submitAnswers(new SubmitTradeResult.NoMarketPrice("AAPL"));
        assertProblem(server.post(SUBMIT, "trader", "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":1}"), 422,
                "no_market_price");
        SubmitTradeCommand c = submitted();
        assertEquals(OrderType.MARKET, c.type());
        assertEquals(Optional.empty(), c.price());
    }

    @Test
    void theIdempotencyKeyHeaderIsTheClientOrderIdWhenTheBodyHasNone() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), false));
        server.post(SUBMIT, "trader", ORDER, "Idempotency-Key", "key-7");
        assertEquals(Optional.of(ClientOrderId.of("key-7")), submitted().clientOrderId());
    }

    @Test
    void theSameKeyInHeaderAndBodyIsFine() {
        submitAnswers(new SubmitTradeResult.Executed(executedTrade(), portfolioAfterBuy(), false));
        RouteTestServer.Response r = server.post(SUBMIT, "trader",
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,\"clientOrderId\":\"k-1\"}",
                "Idempotency-Key", "k-1");
        assertEquals(201, r.status(), r.body());
        assertEquals(Optional.of(ClientOrderId.of("k-1")), submitted().clientOrderId());
    }

    @Test
    void differentKeysInHeaderAndBodyAre400() {
        JsonNode p = assertProblem(server.post(SUBMIT, "trader",
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,\"clientOrderId\":\"k-1\"}",
                "Idempotency-Key", "k-2"), 400, "validation_failed");
        assertEquals(List.of("Idempotency-Key"), errorFields(p));
        verifyNoInteractions(server.useCases.submitTrade());
    }

    @Test
    void aMalformedIdempotencyKeyIsReportedWithTheBodysErrors() {
        JsonNode p = assertProblem(server.post(SUBMIT, "trader", "{\"symbol\":\"aapl\",\"side\":\"buy\",\"quantity\":1}",
                "Idempotency-Key", "has spaces in it"), 400, "validation_failed");
        assertEquals(Set.of("Idempotency-Key", "symbol"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.submitTrade());
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        JsonNode p = assertProblem(server.post(SUBMIT, "trader",
                "{\"symbol\":\"not a symbol\",\"quantity\":-1,\"type\":\"stop\",\"clientOrderId\":\"bad id!\"}"), 400,
                "validation_failed");
        assertEquals(Set.of("symbol", "side", "quantity", "type", "clientOrderId"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.submitTrade());
        verify(server.limits, never()).checkAgentTrade(any(), any());
    }

    @Test
    void aLimitOrderWithoutAPriceIs400() {
        JsonNode p = assertProblem(server.post(SUBMIT, "trader",
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":1,\"type\":\"limit\"}"), 400, "validation_failed");
        assertEquals(List.of("price"), errorFields(p));
    }

    @Test
    void unknownFieldsWrongTypesMalformedJsonAndOtherMediaTypesAreRefused() {
        JsonNode unknown = assertProblem(server.post(SUBMIT, "trader",
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,\"leverage\":100}"), 400,
                "validation_failed");
        assertEquals(List.of("leverage"), errorFields(unknown));

        JsonNode wrongType = assertProblem(server.post(SUBMIT, "trader",
                "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":\"10\",\"price\":true}"), 400, "validation_failed");
        assertEquals(Set.of("quantity", "price"), Set.copyOf(errorFields(wrongType)));

        assertProblem(server.post(SUBMIT, "trader", "{\"symbol\":"), 400, "malformed_json");
        assertProblem(server.postRaw(SUBMIT, "trader", "application/x-www-form-urlencoded", "symbol=AAPL"), 415,
                "unsupported_media_type");
        verifyNoInteractions(server.useCases.submitTrade());
    }

    @Test
    void hugeNumbersAre400NotA500() {
        JsonNode exponents = assertProblem(server.post(SUBMIT, "trader", "{\"symbol\":\"AAPL\",\"side\":\"buy\","
                + "\"quantity\":1e999999999,\"price\":1e-999999999}"), 400, "validation_failed");
        assertEquals(Set.of("quantity", "price"), Set.copyOf(errorFields(exponents)));
        assertProblem(server.post(SUBMIT, "trader", "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":"
                + "1".repeat(60) + ",\"price\":1}"), 400, "malformed_json");
        verifyNoInteractions(server.useCases.submitTrade());
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "approver"})
    void submittingNeedsTheTradeSubmitScope(String user) {
        JsonNode p = assertProblem(server.post(SUBMIT, user, ORDER), 403, "insufficient_scope");
        assertTrue(p.get("detail").asText().contains("trade:submit"));
        verifyNoInteractions(server.useCases.submitTrade());
        verify(server.limits, never()).checkAgentTrade(any(), any());
    }

    @Test
    void anAgentTheCallerMayNotSeeIs404BeforeAnyRateLimitToken() {
        when(server.useCases.getAgent().get(any(), eq(AGENT_ID))).thenReturn(Optional.empty());

        JsonNode p = assertProblem(server.post(SUBMIT, "trader", ORDER), 404, "not_found");

        assertEquals("agent not found", p.get("detail").asText());
        verifyNoInteractions(server.useCases.submitTrade());
        verify(server.limits, never()).checkAgentTrade(any(), any());
    }

    @Test
    void aRateLimitRefusalStopsTheSubmission() {
        org.mockito.Mockito.doThrow(new ApiError(429, "rate_limited", "Too Many Requests", "slow down", List.of(),
                Optional.of(Duration.ofSeconds(2)), java.util.Map.of()))
                .when(server.limits).checkAgentTrade(any(), eq(AGENT_ID));

        RouteTestServer.Response r = server.post(SUBMIT, "trader", ORDER);

        assertProblem(r, 429, "rate_limited");
        assertEquals("2", r.header("Retry-After"));
        verifyNoInteractions(server.useCases.submitTrade());
    }

    @Test
    void aMalformedAgentIdIs404() {
        assertProblem(server.post("/api/v1/agents/no%20spaces/trades", "trader", ORDER), 404, "not_found");
        verifyNoInteractions(server.useCases.submitTrade());
    }

    // ---- GET /agents/{id}/trades ----

    @Test
    void listingPassesEveryFilter() {
        when(server.useCases.listTrades().list(any()))
                .thenReturn(Optional.of(new Page<>(List.of(executedTrade()), Optional.empty())));

        RouteTestServer.Response r = server.get(SUBMIT + "?status=executed&symbol=AAPL&from=2026-01-01T00:00:00Z"
                + "&to=2026-02-01T00:00:00Z&limit=20", "viewer");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("items", "nextCursor"), keys(r.json()));
        assertEquals(TRADE_KEYS, keys(r.json().get("items").get(0)));
        assertTrue(r.json().get("nextCursor").isNull());
        ArgumentCaptor<ListTradesQuery> query = ArgumentCaptor.forClass(ListTradesQuery.class);
        verify(server.useCases.listTrades()).list(query.capture());
        ListTradesQuery q = query.getValue();
        assertEquals(AGENT_ID, q.agentId());
        assertEquals(Optional.of(TradeStatus.EXECUTED), q.status());
        assertEquals(Optional.of(Symbol.of("AAPL")), q.symbol());
        assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), q.from());
        assertEquals(Optional.of(Instant.parse("2026-02-01T00:00:00Z")), q.to());
        assertEquals(20, q.page().limit());
    }

    @Test
    void listingReportsEveryBadFilterAtOnce() {
        JsonNode p = assertProblem(server.get(SUBMIT + "?status=done&symbol=aapl&from=yesterday&cursor=xyz&limit=many",
                "trader"), 400, "validation_failed");
        assertEquals(Set.of("status", "symbol", "from", "cursor", "limit"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.listTrades());
    }

    @Test
    void listingWithToBeforeFromIs400() {
        JsonNode p = assertProblem(server.get(SUBMIT + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "trader"),
                400, "validation_failed");
        assertEquals(List.of("to"), errorFields(p));
    }

    @Test
    void listingTheTradesOfAnAgentTheCallerMayNotSeeIs404() {
        when(server.useCases.listTrades().list(any())).thenReturn(Optional.empty());
        assertProblem(server.get(SUBMIT, "trader"), 404, "not_found");
    }

    @Test
    void listingNeedsTheReadScope() {
        assertProblem(server.get(SUBMIT, "trader", "X-Test-Scopes", "trade:submit"), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.listTrades());
    }

    // ---- GET /trades/{id} ----

    @Test
    void readingATrade() {
        when(server.useCases.getTrade().get(any(), eq(TradeId.of("trade-1")))).thenReturn(Optional.of(executedTrade()));
        RouteTestServer.Response r = server.get("/api/v1/trades/trade-1", "approver");
        assertEquals(200, r.status(), r.body());
        assertEquals(TRADE_KEYS, keys(r.json()));

        JsonNode p = assertProblem(server.get("/api/v1/trades/trade-9", "approver"), 404, "not_found");
        assertEquals("trade not found", p.get("detail").asText());
        assertProblem(server.get("/api/v1/trades/bad$id", "approver"), 404, "not_found");
    }

    // ---- POST /trades/{id}/cancel ----

    private static final String CANCEL = "/api/v1/trades/trade-2/cancel";

    static Stream<Arguments> cancelOutcomes() {
        Trade cancelled = pendingTrade().cancel("changed my mind", NOW);
        return Stream.of(
                Arguments.of(new CancelTradeUseCase.Cancelled(cancelled, portfolioAfterBuy()), 200, null),
                Arguments.of(new CancelTradeUseCase.NotFound(), 404, "not_found"),
                Arguments.of(new CancelTradeUseCase.NotOwner(), 403, "not_owner"),
                Arguments.of(new CancelTradeUseCase.Conflict(TradeStatus.EXECUTED), 409, "trade_not_open"),
                Arguments.of(new CancelTradeUseCase.OversightUnavailable(Duration.ofMillis(2500)), 503,
                        "oversight_unavailable"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("cancelOutcomes")
    void everyCancelResultHasItsStatus(CancelTradeUseCase.CancelTradeResult result, int status, String code) {
        when(server.useCases.cancelTrade().cancel(any())).thenReturn(result);

        RouteTestServer.Response r = server.post(CANCEL, "trader", null);

        if (code == null) {
            assertEquals(status, r.status(), r.body());
            assertEquals(TRADE_KEYS, keys(r.json()));
            assertEquals("cancelled", r.json().get("status").asText());
        } else {
            JsonNode p = assertProblem(r, status, code);
            if (status == 409) {
                assertEquals("executed", p.get("tradeStatus").asText());
            }
            if (status == 503) {
                assertEquals("3", r.header("Retry-After"), "rounded up to whole seconds");
            }
        }
    }

    @Test
    void theCancelTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = cancelOutcomes().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(CancelTradeUseCase.CancelTradeResult.class.getPermittedSubclasses()), mapped);
    }

    @Test
    void cancelTakesNoBodyAnEmptyBodyOrAReason() {
        when(server.useCases.cancelTrade().cancel(any())).thenReturn(new CancelTradeUseCase.NotFound());
        ArgumentCaptor<CancelTradeCommand> command = ArgumentCaptor.forClass(CancelTradeCommand.class);

        server.post(CANCEL, "trader", null);
        server.post(CANCEL, "trader", "");
        server.post(CANCEL, "trader", "{}");
        server.post(CANCEL, "trader", "{\"reason\":\"  changed my mind \"}");

        verify(server.useCases.cancelTrade(), org.mockito.Mockito.times(4)).cancel(command.capture());
        List<CancelTradeCommand> commands = command.getAllValues();
        assertEquals(Optional.empty(), commands.get(0).reason());
        assertEquals(Optional.empty(), commands.get(1).reason());
        assertEquals(Optional.empty(), commands.get(2).reason());
        assertEquals(Optional.of("changed my mind"), commands.get(3).reason());
        assertEquals(TradeId.of("trade-2"), commands.get(3).tradeId());
    }

    @Test
    void aCancelBodyThatIsPresentMustBeValidJson() {
        assertProblem(server.post(CANCEL, "trader", "{\"reason\":"), 400, "malformed_json");
        assertProblem(server.postRaw(CANCEL, "trader", "text/plain", "because"), 415, "unsupported_media_type");
        JsonNode unknown = assertProblem(server.post(CANCEL, "trader", "{\"why\":\"x\"}"), 400, "validation_failed");
        assertEquals(List.of("why"), errorFields(unknown));
        JsonNode tooLong = assertProblem(server.post(CANCEL, "trader", "{\"reason\":\"" + "x".repeat(501) + "\"}"),
                400, "validation_failed");
        assertEquals(List.of("reason"), errorFields(tooLong));
        verifyNoInteractions(server.useCases.cancelTrade());
    }

    @Test
    void cancellingNeedsTheTradeSubmitScope() {
        assertProblem(server.post(CANCEL, "viewer", null), 403, "insufficient_scope");
        assertProblem(server.post(CANCEL, "approver", null), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.cancelTrade());
    }

    @Test
    void aTrailingSlashIsTheSameRouteAndAReadIsNoTradeOutcome() {
        when(server.useCases.getTrade().get(any(), any())).thenReturn(Optional.of(executedTrade()));
        assertEquals(200, server.get("/api/v1/trades/trade-1/", "viewer").status());
        verify(server.useCases.getTrade()).get(any(), eq(TradeId.of("trade-1")));
        verify(server.metrics, never()).tradeOutcome(anyString());
    }
}
