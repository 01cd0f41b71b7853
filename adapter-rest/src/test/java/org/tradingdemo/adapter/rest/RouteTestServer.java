package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CostReport;
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
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.model.UserId;

/**
 * A real Javalin server on 127.0.0.1 with the route classes under test, mocked use cases and a
 * test-only authentication: the header {@code X-Test-User: trader|admin|approver|viewer} signs the
 * request in as user {@code u-<role>} with the role's scopes ({@code X-Test-Scopes} overrides them,
 * comma-separated, possibly empty). No header: not authenticated. Plus fixtures and assertions the
 * *RoutesTest classes share.
 */
final class RouteTestServer implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    static final AgentId AGENT_ID = AgentId.of("agent-1");
    static final UserId TRADER = UserId.of("u-trader");

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final RestUseCases useCases;
    final RestSettings settings = RestSettings.defaults("0123456789abcdef0123456789abcdef", clock);
    /** Real objects (owned by the security and ops code), spied so a test can see they were used. */
    final RateLimits limits = spy(new RateLimits(settings));
    final ApiMetrics metrics = spy(new ApiMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    final ObjectMapper mapper = JsonSupport.mapper();

    private final Javalin app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** With every use case a Mockito mock. */
    RouteTestServer() {
        this(mockedUseCases());
    }

    RouteTestServer(RestUseCases useCases) {
        this.useCases = useCases;
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = "application/json";
            config.router.ignoreTrailingSlashes = true;
        });
        app.before(RequestIds::assign);
        ProblemJson.register(app, mapper);
        app.before(ctx -> {
            String user = ctx.header("X-Test-User");
            if (user == null) {
                return;
            }
            Role role = Role.parse(user);
            String scopes = ctx.header("X-Test-Scopes");
            Set<Scope> granted = scopes == null ? Scope.forRole(role) : parseScopes(scopes);
            RouteSupport.authenticate(ctx, new Principal(UserId.of("u-" + user), user, role, granted));
        });
        AgentRoutes.register(app, useCases, mapper);
        TradeRoutes.register(app, useCases, mapper, limits, metrics, clock);
        MeteringRoutes.register(app, useCases);
        OversightRoutes.register(app, useCases, mapper);
        AlertRoutes.register(app, useCases, mapper);
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    static RestUseCases mockedUseCases() {
        return new RestUseCases(mock(AuthenticateUseCase.class), mock(CreateAgentUseCase.class),
                mock(GetAgentUseCase.class), mock(ListAgentsUseCase.class), mock(SuspendAgentUseCase.class),
                mock(ResumeAgentUseCase.class), mock(TerminateAgentUseCase.class), mock(SubmitTradeUseCase.class),
                mock(GetTradeUseCase.class), mock(ListTradesUseCase.class), mock(CancelTradeUseCase.class),
                mock(GetPortfolioUseCase.class), mock(GetAgentUsageUseCase.class), mock(GetUsageSummaryUseCase.class),
                mock(GetCostReportUseCase.class), mock(ListOversightRequestsUseCase.class),
                mock(GetOversightRequestUseCase.class), mock(DecideOversightRequestUseCase.class),
                mock(RaiseAlertUseCase.class), mock(ListAlertsUseCase.class), mock(AcknowledgeAlertUseCase.class));
    }

    private static Set<Scope> parseScopes(String text) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(s -> scopes.add(Scope.fromWire(s).orElseThrow()));
        return scopes;
    }

    @Override
    public void close() {
        app.stop();
    }

    // ---- HTTP ----

    /** One answer: status, headers and the body, parsed when it is JSON. */
    record Response(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return raw.body();
        }
    }

    Response get(String path, String user, String... headers) {
        return send(request(path, user, headers).GET().build());
    }

    /** POST with a JSON body (Content-Type: application/json); a null body sends none. */
    Response post(String path, String user, String json, String... headers) {
        HttpRequest.Builder b = request(path, user, headers);
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b.build());
    }

    /** POST of a JSON body sent chunked (no Content-Length), as a streaming client sends it. */
    Response postChunked(String path, String user, String json) {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build());
    }

    /** POST with a body of any content type. */
    Response postRaw(String path, String user, String contentType, String body) {
        return send(request(path, user).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path, String user, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("X-Test-User", user);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? new ObjectMapper().readTree(r.body()) : null;
            return new Response(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---- assertions ----

    /** An RFC 9457 problem: status, code, problem+json, every member (requestId too), never a stack trace. */
    static JsonNode assertProblem(Response r, int status, String code) {
        assertEquals(status, r.status(), () -> "status of " + r.body());
        String type = r.header("Content-Type");
        assertNotNull(type, "content type");
        assertTrue(type.startsWith("application/problem+json"), () -> "content type " + type);
        JsonNode p = r.json();
        assertNotNull(p, "problem body");
        assertEquals(code, p.path("code").asText(), () -> "code of " + r.body());
        assertEquals(status, p.path("status").asInt());
        for (String member : List.of("type", "title", "status", "detail", "code", "errors", "requestId", "instance")) {
            assertTrue(p.has(member), () -> "problem member " + member + " in " + r.body());
        }
        assertTrue(p.get("errors").isArray());
        assertFalse(p.get("requestId").asText().isBlank(), "requestId");
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), () -> "internals leaked: " + r.body());
        return p;
    }

    /** The fields named in a problem's errors[], in order. */
    static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    /** The member names of a JSON object, in document order. */
    static List<String> keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- fixtures: domain values as the use cases would return them ----

    static Agent agent() {
        return new Agent(AGENT_ID, "Alpha", org.tradingdemo.domain.model.AgentStatus.ACTIVE,
                new AgentConfig(Money.usd(100_000), Strategy.BALANCED, RiskTolerance.MEDIUM, Optional.empty()), TRADER,
                NOW, NOW);
    }

    /** 10 AAPL at 150, submitted as a limit order. */
    static Trade newTrade(String id, Optional<ClientOrderId> clientOrderId) {
        return Trade.submit(TradeId.of(id), AGENT_ID, clientOrderId, Symbol.of("AAPL"), Side.BUY, Quantity.of(10),
                Price.of(150), OrderType.LIMIT, NOW);
    }

    static Trade executedTrade() {
        return newTrade("trade-1", Optional.empty()).execute(NOW);
    }

    /** Waiting for approval, holding a quota reservation the API must never show. */
    static Trade pendingTrade() {
        return newTrade("trade-2", Optional.of(ClientOrderId.of("order-2"))).awaitApproval("quota-reservation-secret");
    }

    static OversightRequest pendingRequest() {
        return new OversightRequest(OversightRequestId.of("req-1"), AGENT_ID, TradeId.of("trade-2"),
                "amount above the approval threshold", RiskLevel.HIGH, OversightStatus.PENDING, NOW,
                NOW.plus(Duration.ofHours(1)), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static OversightRequest closedRequest(OversightStatus status, String comment) {
        OversightRequest r = pendingRequest();
        return new OversightRequest(r.id(), r.agentId(), r.tradeId(), r.reason(), r.riskLevel(), status, r.createdAt(),
                r.expiresAt(), Optional.of(NOW.plusSeconds(60)), Optional.of(UserId.of("u-approver")),
                Optional.ofNullable(comment));
    }

    /** Bought 10 AAPL at 150 out of 100,000; AAPL now at 160. */
    static Portfolio portfolioAfterBuy() {
        return Portfolio.open(AGENT_ID, Money.usd(100_000)).apply(executedTrade());
    }

    static UsageReport usageReport(UsagePeriod period) {
        Map<UsageType, UsageReport.TypeUsage> byType = new EnumMap<>(UsageType.class);
        byType.put(UsageType.TRADE_EXECUTED, new UsageReport.TypeUsage(1, Money.usd(1500), Money.usd("0.16")));
        byType.put(UsageType.AGENT_CREATED, new UsageReport.TypeUsage(1, Money.usd(0), Money.usd("1.00")));
        return new UsageReport(AGENT_ID, period, Instant.parse("2026-01-15T00:00:00Z"),
                Instant.parse("2026-01-16T00:00:00Z"), Money.usd(1500), Money.usd(100_000), Money.usd(98_500), byType,
                Money.usd("1.16"));
    }

    static CostReport costReport() {
        Map<UsageType, Money> byType = new LinkedHashMap<>();
        byType.put(UsageType.TRADE_EXECUTED, Money.usd("0.10"));
        byType.put(UsageType.OVERSIGHT_REQUESTED, Money.usd("0.20"));
        Money total = Money.usd("0.10").plus(Money.usd("0.20"));
        return new CostReport(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
                List.of(new CostReport.AgentCost(AGENT_ID, byType, total)), byType, total, CostPriceList.defaults());
    }

    static Alert alert() {
        return Alert.raise(AlertId.of("alert-1"), AlertSeverity.WARNING, "quota_warning", "80% of the daily quota used",
                Optional.of(AGENT_ID), NOW);
    }

    /** The daily quota of 100,000 with 99,000 used: refused, resets at midnight UTC (14 hours after NOW). */
    static QuotaCheck quotaRefused() {
        return new QuotaCheck(false, UsagePeriod.DAILY, Money.usd(99_000), Money.usd(1_000), Money.usd(100_000),
                Instant.parse("2026-01-16T00:00:00Z"));
    }

    static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }
}
