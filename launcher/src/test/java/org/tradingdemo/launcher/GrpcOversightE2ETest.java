package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertAmount;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.adapter.grpc.oversight.OversightAuthority;
import org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.RequestStatus;

/**
 * Oversight through the real service and the reference oversight server it talks to over gRPC:
 * decisions taken at the oversight server reach the service (WatchDecisions → the decide use case),
 * decisions taken through the REST API reach the server (settle first), both at once end the same way
 * on both sides, expiry closes both, and decisions taken while the decision stream is cut are applied
 * exactly once when it comes back.
 */
class GrpcOversightE2ETest {

    /** A decision taken at the server must show here within this. */
    private static final Duration APPLIED = Duration.ofSeconds(10);
    /**
     * After the oversight server is back: the listener's reconnect backoff (up to 5 s) plus replay. A
     * bound, not a wait: the test goes on as soon as the decisions are applied.
     */
    private static final Duration RECONNECTED = Duration.ofSeconds(20);
    /** Not the owner of any agent here: an operator deciding in creto-oversight's own UI. */
    private static final String OPERATOR = "ops-desk";

    @TempDir
    static Path dataDir;
    private static TradingServer server;
    private static OversightGrpcServer oversight;
    private static Api api;
    private static String trader;
    private static String approver;

    @BeforeAll
    static void start() {
        server = TradingServer.start(E2e.config(dataDir, Map.of("STORE", "memory")));
        oversight = server.embeddedOversightServer()
                .orElseThrow(() -> new AssertionError("the default configuration embeds the oversight server"));
        api = new Api(server.baseUrl());
        trader = api.login("trader");
        approver = api.login("approver");
    }

    @AfterAll
    static void stop() {
        GrpcE2e.closeQuietly(server);
    }

    @Test
    void aDecisionTakenAtTheOversightServerIsAppliedByTheService() {
        String agent = api.createAgent(trader, "Watched", "200000", "balanced", "medium");
        Pending approved = submitLarge(api, trader, agent);
        Pending rejected = submitLarge(api, trader, agent);
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, oversight.find(approved.requestId()).orElseThrow().getStatus(),
                "the request was submitted to the oversight server");
        assertExactly("120000", portfolio(api, trader, agent).path("reservedCash"));

        oversight.approve(approved.requestId(), OPERATOR, "approved in creto-oversight");
        oversight.reject(rejected.requestId(), OPERATOR, "rejected in creto-oversight");

        awaitTrade(api, trader, approved.tradeId(), "executed");
        awaitTrade(api, trader, rejected.tradeId(), "rejected");
        JsonNode request = api.get("/api/v1/oversight/requests/" + approved.requestId(), approver).expect(200).json();
        assertEquals("approved", request.path("status").asText());
        assertEquals(OPERATOR, request.path("processedBy").asText());
        assertEquals("approved in creto-oversight", request.path("comment").asText());
        JsonNode other = api.get("/api/v1/oversight/requests/" + rejected.requestId(), approver).expect(200).json();
        assertEquals("rejected", other.path("status").asText());
        assertEquals(OPERATOR, other.path("processedBy").asText());

        JsonNode portfolio = portfolio(api, trader, agent);
        assertExactly("140000", portfolio.path("cash"));
        assertExactly("0", portfolio.path("reservedCash"));
        assertEquals(1, portfolio.path("positions").size());
        assertExactly("150", portfolio.path("positions").get(0).path("quantity"));
        // and the service's own API now refuses a second decision
        api.post("/api/v1/oversight/requests/" + approved.requestId() + "/reject", approver,
                "{\"comment\":\"too late\"}").expectProblem(409, "request_closed");
    }

    @Test
    void aDecisionTakenThroughTheApiIsRecordedAtTheOversightServer() {
        String agent = api.createAgent(trader, "Reported", "200000", "balanced", "medium");
        Pending rejected = submitLarge(api, trader, agent);
        Pending approved = submitLarge(api, trader, agent);

        JsonNode r = api.post("/api/v1/oversight/requests/" + rejected.requestId() + "/reject", approver,
                "{\"comment\":\"too concentrated\"}").expect(200).json().path("request");
        JsonNode a = api.post("/api/v1/oversight/requests/" + approved.requestId() + "/approve", approver,
                "{\"comment\":\"within mandate\"}").expect(200).json().path("request");

        ApprovalRequest atServer = oversight.find(rejected.requestId()).orElseThrow();
        assertEquals(RequestStatus.REQUEST_STATUS_REJECTED, atServer.getStatus());
        assertEquals(r.path("processedBy").asText(), atServer.getDecidedBy());
        assertEquals("too concentrated", atServer.getComment());
        ApprovalRequest approvedAtServer = oversight.find(approved.requestId()).orElseThrow();
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, approvedAtServer.getStatus());
        assertEquals(a.path("processedBy").asText(), approvedAtServer.getDecidedBy());
        assertEquals("within mandate", approvedAtServer.getComment());

        // the server's first-decision-wins now holds against an operator too
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
                () -> oversight.approve(rejected.requestId(), OPERATOR, "changed my mind"));
        assertEquals(Status.Code.FAILED_PRECONDITION, late.getStatus().getCode());
        // the decision event the server streams back to the service changes nothing there
        GrpcE2e.sleep(300);
        assertEquals("rejected", trade(api, trader, rejected.tradeId()).path("status").asText());
        assertEquals("executed", trade(api, trader, approved.tradeId()).path("status").asText());
        assertExactly("140000", portfolio(api, trader, agent).path("cash"));
    }

    @Test
    void anApprovalAtTheServerRacingARejectionThroughTheApiEndsTheSameOnBothSides() throws Exception {
        // the operator's call is direct, the API's goes through HTTP and the use case first: holding the
        // operator back a little more each round moves the race from "server first" through "both at the
        // same moment" to "API first"
        long[] operatorDelayMillis = {0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 24, 32, 64};
        String agent = api.createAgent(trader, "Raced", "1000000", "balanced", "medium");
        int approvedCount = 0;
        List<String> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < operatorDelayMillis.length; round++) {
                Pending p = submitLarge(api, trader, agent);
                CountDownLatch go = new CountDownLatch(1);
                long delay = operatorDelayMillis[round];
                Future<Boolean> atServer = pool.submit(() -> {
                    go.await();
                    Thread.sleep(delay);
                    try {
                        oversight.approve(p.requestId(), OPERATOR, "race: approve at the server");
                        return true;
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.toString());
                        return false;
                    }
                });
                Future<Response> viaApi = pool.submit(() -> {
                    go.await();
                    return api.post("/api/v1/oversight/requests/" + p.requestId() + "/reject", approver,
                            "{\"comment\":\"race: reject through the API\"}");
                });
                go.countDown();
                boolean serverWon = atServer.get(20, TimeUnit.SECONDS);
                Response rest = viaApi.get(20, TimeUnit.SECONDS);

                String expected = serverWon ? "approved" : "rejected";
                if (serverWon) {
                    rest.expectProblem(409, "request_closed");
                } else {
                    rest.expect(200);
                }
                ApprovalRequest theirs = oversight.find(p.requestId()).orElseThrow();
                assertEquals(expected, wire(theirs.getStatus()), "round " + round + " at the server");
                JsonNode ours = GrpcE2e.await("round " + round + " closed in the service", APPLIED,
                        () -> api.get("/api/v1/oversight/requests/" + p.requestId(), approver).expect(200).json(),
                        j -> !"pending".equals(j.path("status").asText()));
                assertEquals(expected, ours.path("status").asText(), "round " + round + " in the service");
                assertEquals(theirs.getDecidedBy(), ours.path("processedBy").asText(), "round " + round + " decider");
                assertEquals(serverWon ? "executed" : "rejected",
                        trade(api, trader, p.tradeId()).path("status").asText(), "round " + round + " trade");
                approvedCount += serverWon ? 1 : 0;
                outcomes.add(delay + " ms: " + expected);
            }
        } finally {
            pool.shutdownNow();
        }
        // the decision events streamed back settle nothing twice
        GrpcE2e.sleep(300);
        JsonNode portfolio = portfolio(api, trader, agent);
        assertEquals(0, BigDecimal.valueOf(1_000_000 - 60_000 * approvedCount).compareTo(portfolio.path("cash")
                .decimalValue()), "cash " + portfolio.path("cash") + " after " + outcomes);
        assertExactly("0", portfolio.path("reservedCash"));
        if (approvedCount == 0) {
            assertEquals(0, portfolio.path("positions").size());
        } else {
            assertAmount(Integer.toString(150 * approvedCount), portfolio.path("positions").get(0).path("quantity"));
        }
    }

    @Test
    void anExpiredRequestIsClosedOnBothSidesAndItsTradeCancelled(@TempDir Path otherDir) {
        try (TradingServer expiring = TradingServer.start(E2e.config(otherDir, Map.of(
                "STORE", "memory", "APPROVAL_TTL", "PT1S", "EXPIRY_CHECK_INTERVAL", "PT0.1S")))) {
            OversightGrpcServer authority = expiring.embeddedOversightServer().orElseThrow();
            Api local = new Api(expiring.baseUrl());
            String owner = local.login("trader");
            String decider = local.login("approver");
            String agent = local.createAgent(owner, "Forgotten", "100000", "balanced", "medium");
            Pending p = submitLarge(local, owner, agent);

            JsonNode request = GrpcE2e.await("the request to expire", APPLIED,
                    () -> local.get("/api/v1/oversight/requests/" + p.requestId(), decider).expect(200).json(),
                    j -> !"pending".equals(j.path("status").asText()));
            assertEquals("expired", request.path("status").asText());
            assertEquals("cancelled", trade(local, owner, p.tradeId()).path("status").asText());
            JsonNode portfolio = portfolio(local, owner, agent);
            assertExactly("100000", portfolio.path("cash"));
            assertExactly("0", portfolio.path("reservedCash"));
            assertEquals(0, portfolio.path("positions").size());

            ApprovalRequest theirs = authority.find(p.requestId()).orElseThrow();
            assertTrue(theirs.getStatus() == RequestStatus.REQUEST_STATUS_EXPIRED
                    || theirs.getStatus() == RequestStatus.REQUEST_STATUS_CANCELLED
                    && theirs.getComment().startsWith("expired at"), "closed at the server too: " + theirs);
            // too late on either side
            StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
                    () -> authority.approve(p.requestId(), OPERATOR, "too late"));
            assertEquals(Status.Code.FAILED_PRECONDITION, late.getStatus().getCode());
            local.post("/api/v1/oversight/requests/" + p.requestId() + "/approve", decider, null)
                    .expectProblem(409, "request_closed");
            assertEquals("cancelled", trade(local, owner, p.tradeId()).path("status").asText());
        }
    }

    @Test
    void decisionsTakenWhileTheDecisionStreamIsCutAreAppliedExactlyOnce(@TempDir Path otherDir) {
        OversightAuthority authority = new OversightAuthority(Clock.systemUTC());
        OversightGrpcServer external = GrpcE2e.startOversight(0, authority);
        int port = external.port();
        try (TradingServer service = TradingServer.start(E2e.config(otherDir, Map.of(
                "STORE", "memory", "OVERSIGHT_GRPC_URL", "127.0.0.1:" + port)))) {
            assertTrue(service.embeddedOversightServer().isEmpty(), "OVERSIGHT_GRPC_URL: nothing embedded");
            Api local = new Api(service.baseUrl());
            String owner = local.login("trader");
            String decider = local.login("approver");
            String agent = local.createAgent(owner, "Cut", "1000000", "balanced", "medium");

            // the stream works: a decision at the external server reaches the service
            Pending first = submitLarge(local, owner, agent);
            external.approve(first.requestId(), OPERATOR, "before the cut");
            awaitTrade(local, owner, first.tradeId(), "executed");

            Pending toApprove = submitLarge(local, owner, agent);
            Pending toReject = submitLarge(local, owner, agent);
            external.close();

            // while the oversight service is away: fail closed, nothing decided or created here
            local.post("/api/v1/oversight/requests/" + toApprove.requestId() + "/approve", decider, null)
                    .expectProblem(503, "oversight_unavailable");
            local.trade(owner, agent, "MSFT", "buy", "150", "400").expectProblem(503, "oversight_unavailable");
            assertEquals(3, local.all("/api/v1/agents/" + agent + "/trades", owner).size());

            // decided at the authority while the service's decision listener is disconnected
            authority.approve(toApprove.requestId(), OPERATOR, "approved during the cut");
            authority.reject(toReject.requestId(), OPERATOR, "rejected during the cut");
            assertEquals("pending_approval", trade(local, owner, toApprove.tradeId()).path("status").asText());
            assertEquals("pending", local.get("/api/v1/oversight/requests/" + toReject.requestId(), decider)
                    .expect(200).text("status"));

            // back on the same port over the same authority: the listener resumes after its cursor
            external = GrpcE2e.startOversight(port, authority);
            awaitTrade(local, owner, toApprove.tradeId(), "executed", RECONNECTED);
            awaitTrade(local, owner, toReject.tradeId(), "rejected", RECONNECTED);
            JsonNode approvedHere = local.get("/api/v1/oversight/requests/" + toApprove.requestId(), decider)
                    .expect(200).json();
            assertEquals("approved", approvedHere.path("status").asText());
            assertEquals(OPERATOR, approvedHere.path("processedBy").asText());
            assertEquals("approved during the cut", approvedHere.path("comment").asText());
            assertEquals("rejected", local.get("/api/v1/oversight/requests/" + toReject.requestId(), decider)
                    .expect(200).text("status"));

            // a later decision flows too, after everything replayed before it (the stream is ordered)
            Pending last = submitLarge(local, owner, agent);
            external.approve(last.requestId(), OPERATOR, "after the cut");
            awaitTrade(local, owner, last.tradeId(), "executed");

            // exactly once: three executions of 150 MSFT at 400, one rejection, nothing else
            List<String> statuses = new ArrayList<>();
            for (JsonNode t : local.all("/api/v1/agents/" + agent + "/trades", owner)) {
                statuses.add(t.path("status").asText());
            }
            statuses.sort(null);
            assertEquals(List.of("executed", "executed", "executed", "rejected"), statuses);
            JsonNode portfolio = portfolio(local, owner, agent);
            assertExactly("820000", portfolio.path("cash"));
            assertExactly("0", portfolio.path("reservedCash"));
            assertEquals(1, portfolio.path("positions").size());
            assertExactly("450", portfolio.path("positions").get(0).path("quantity"));
            JsonNode usage = local.get("/api/v1/agents/" + agent + "/usage", owner).expect(200).json();
            assertEquals(3, usage.path("byType").path("trade_executed").path("count").asInt(), usage.toString());
            assertAmount("180000", usage.path("byType").path("trade_executed").path("amount"));
            assertAmount("180000", usage.path("used"));
        } finally {
            GrpcE2e.closeQuietly(external);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A pending trade and its approval request. */
    record Pending(String tradeId, String requestId) {
    }

    /** $60,000 (150 MSFT at 400): above the $50,000 threshold, so it waits for a human. */
    private static Pending submitLarge(Api api, String token, String agent) {
        JsonNode body = api.trade(token, agent, "MSFT", "buy", "150", "400").expect(202).json();
        assertEquals("pending_approval", body.path("trade").path("status").asText());
        return new Pending(body.path("trade").path("id").asText(), body.path("oversightRequest").path("id").asText());
    }

    private static JsonNode trade(Api api, String token, String tradeId) {
        return api.get("/api/v1/trades/" + tradeId, token).expect(200).json();
    }

    private static void awaitTrade(Api api, String token, String tradeId, String status) {
        awaitTrade(api, token, tradeId, status, APPLIED);
    }

    private static void awaitTrade(Api api, String token, String tradeId, String status, Duration timeout) {
        api.await("/api/v1/trades/" + tradeId, token, r -> r.status() == 200 && status.equals(r.text("status")), timeout);
    }

    private static JsonNode portfolio(Api api, String token, String agent) {
        return api.get("/api/v1/agents/" + agent + "/portfolio", token).expect(200).json();
    }

    /** REQUEST_STATUS_APPROVED → approved. */
    private static String wire(RequestStatus status) {
        return status.name().substring("REQUEST_STATUS_".length()).toLowerCase(Locale.ROOT);
    }
}
