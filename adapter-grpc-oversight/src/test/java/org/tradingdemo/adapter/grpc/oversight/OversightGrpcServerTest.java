package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.T0;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.TTL;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.uid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.ApproveRequestRequest;
import org.tradingdemo.proto.oversight.v1.CancelRequestRequest;
import org.tradingdemo.proto.oversight.v1.DecisionEvent;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskBatchResponse;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.GetRequestStatusRequest;
import org.tradingdemo.proto.oversight.v1.ListRequestsRequest;
import org.tradingdemo.proto.oversight.v1.ListRequestsResponse;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;
import org.tradingdemo.proto.oversight.v1.RejectRequestRequest;
import org.tradingdemo.proto.oversight.v1.RequestStatus;
import org.tradingdemo.proto.oversight.v1.RiskLevel;
import org.tradingdemo.proto.oversight.v1.SubmitRequestRequest;
import org.tradingdemo.proto.oversight.v1.SubmitRequestResponse;
import org.tradingdemo.proto.oversight.v1.WatchDecisionsRequest;

@Timeout(60)
class OversightGrpcServerTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    private InProcessOversight oversight() {
        return use(new InProcessOversight());
    }

    private static ApprovalRequest submitted(InProcessOversight o, String id) {
        return o.stub().submitRequest(Fixtures.submit(id, T0.plus(TTL))).getRequest();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    // ---------------------------------------------------------------- EvaluateRisk

    @Test
    void evaluatesWithTheDomainPolicyByDefault() {
        InProcessOversight o = oversight();
        OversightPolicy policy = OversightPolicy.withDefaults();
        Agent balanced = Fixtures.agent(Fixtures.OWNER);
        Agent big = Fixtures.agent(Money.usd(1_000_000), Strategy.AGGRESSIVE, RiskTolerance.HIGH, Optional.empty());
        Agent capped = Fixtures.agent(Money.usd(100_000), Strategy.BALANCED, RiskTolerance.HIGH,
                Optional.of(Money.usd(5_000)));
        List<Trade> trades = List.of(
                Fixtures.trade(balanced, Side.BUY, "10", "150"),      // 1,500: low
                Fixtures.trade(balanced, Side.BUY, "100", "150"),     // 15,000: medium concentration
                Fixtures.trade(balanced, Side.BUY, "400", "150"),     // 60,000: threshold + high concentration
                Fixtures.trade(balanced, Side.SELL, "400", "150"),    // sells: threshold only
                Fixtures.trade(big, Side.BUY, "400", "150"),          // threshold only: medium
                Fixtures.trade(big, Side.BUY, "333.33333333", "150.00000001"),
                Fixtures.trade(capped, Side.BUY, "40", "150"));       // above maxPositionSize: high
        for (Trade t : trades) {
            Agent a = t.agentId().equals(balanced.id()) ? balanced : t.agentId().equals(big.id()) ? big : capped;
            RiskAssessment expected = policy.assess(a, t, Fixtures.portfolio(a));
            EvaluateRiskResponse got = o.stub().evaluateRisk(ProtoMapping.evaluateRequest(a, t, Fixtures.portfolio(a)));
            assertEquals(ProtoMapping.response(expected), got, "verdict for " + t.quantity() + " x " + t.price());
        }
        EvaluateRiskResponse high = o.stub().evaluateRisk(ProtoMapping.evaluateRequest(balanced, trades.get(2),
                Fixtures.portfolio(balanced)));
        assertEquals(RiskLevel.RISK_LEVEL_HIGH, high.getLevel());
        assertTrue(high.getRequiresApproval());
        assertEquals(2, high.getReasonsCount());
        EvaluateRiskResponse low = o.stub().evaluateRisk(ProtoMapping.evaluateRequest(balanced, trades.get(0),
                Fixtures.portfolio(balanced)));
        assertEquals(RiskLevel.RISK_LEVEL_LOW, low.getLevel());
        assertFalse(low.getRequiresApproval());
    }

    @Test
    void thresholdIsConfigurableAndPositionCostCounts() {
        InProcessOversight o = use(new InProcessOversight(RiskRules.withThreshold(Money.usd(1_000)), c -> c));
        Agent a = Fixtures.agent(Money.usd(1_000_000), Strategy.AGGRESSIVE, RiskTolerance.HIGH,
                Optional.of(Money.usd(10_000)));
        Trade t = Fixtures.trade(a, Side.BUY, "10", "150"); // 1,500 > 1,000
        EvaluateRiskResponse r = o.stub().evaluateRisk(ProtoMapping.evaluateRequest(a, t, Fixtures.portfolio(a)));
        assertEquals(RiskLevel.RISK_LEVEL_MEDIUM, r.getLevel());
        assertTrue(r.getRequiresApproval());
        assertTrue(r.getReasons(0).contains("1000.00"), r.getReasons(0));

        EvaluateRiskRequest holding = ProtoMapping.evaluateRequest(a, t, Fixtures.portfolio(a)).toBuilder()
                .setAgent(ProtoMapping.evaluateRequest(a, t, Fixtures.portfolio(a)).getAgent().toBuilder()
                        .setPositionCost(ProtoMapping.money(Money.usd(9_000))))
                .build();
        assertEquals(RiskLevel.RISK_LEVEL_HIGH, o.stub().evaluateRisk(holding).getLevel());
    }

    @Test
    void aBatchJudgesEachItemAsEvaluateRiskInOrderAndABadItemFailsAlone() {
        InProcessOversight o = oversight();
        Agent a = Fixtures.agent(Fixtures.OWNER);
        EvaluateRiskRequest small = ProtoMapping.evaluateRequest(a, Fixtures.trade(a, Side.BUY, "1", "150"), Fixtures.portfolio(a));
        EvaluateRiskRequest large = ProtoMapping.evaluateRequest(a, Fixtures.trade(a, Side.BUY, "400", "150"),
                Fixtures.portfolio(a));
        EvaluateRiskRequest bad = small.toBuilder().clearAgent().build();
        EvaluateRiskBatchResponse r = o.stub().evaluateRiskBatch(EvaluateRiskBatchRequest.newBuilder()
                .addRequests(large).addRequests(bad).addRequests(small).build());
        assertEquals(3, r.getResultsCount());
        assertEquals(o.stub().evaluateRisk(large), r.getResults(0).getResponse());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getResults(1).getError().getCode());
        assertEquals(o.stub().evaluateRisk(small), r.getResults(2).getResponse());

        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRiskBatch(EvaluateRiskBatchRequest.getDefaultInstance())));
        EvaluateRiskBatchRequest.Builder tooMany = EvaluateRiskBatchRequest.newBuilder();
        for (int i = 0; i <= OversightGrpcServer.MAX_BATCH; i++) {
            tooMany.addRequests(small);
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRiskBatch(tooMany.build())));
    }

    @Test
    void evaluateRejectsMalformedRequests() {
        InProcessOversight o = oversight();
        Agent a = Fixtures.agent(Fixtures.OWNER);
        EvaluateRiskRequest ok = ProtoMapping.evaluateRequest(a, Fixtures.trade(a, Side.BUY, "1", "1"), Fixtures.portfolio(a));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRisk(ok.toBuilder().clearAgent().build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRisk(ok.toBuilder()
                .setTrade(ok.getTrade().toBuilder().setQuantity("1e")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRisk(ok.toBuilder()
                .setTrade(ok.getTrade().toBuilder().setSymbol("not a symbol")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().evaluateRisk(ok.toBuilder()
                .setAgent(ok.getAgent().toBuilder().setStrategy("yolo")).build())));
    }

    // ---------------------------------------------------------------- Submit / Get

    @Test
    void submitIsIdempotentByRequestId() {
        InProcessOversight o = oversight();
        String id = uid("req");
        SubmitRequestRequest in = Fixtures.submit(id, T0.plus(TTL));
        SubmitRequestResponse first = o.stub().submitRequest(in);
        assertFalse(first.getDuplicate());
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, first.getRequest().getStatus());
        assertEquals(ProtoMapping.timestamp(T0), first.getRequest().getCreatedAt());
        assertEquals(Fixtures.OWNER, first.getRequest().getOwnerUserId());

        o.clock.advance(Duration.ofSeconds(5));
        SubmitRequestResponse again = o.stub().submitRequest(in.toBuilder().setReason("something else").build());
        assertTrue(again.getDuplicate());
        assertEquals(first.getRequest(), again.getRequest());
        assertEquals(1, o.stub().listRequests(ListRequestsRequest.getDefaultInstance()).getRequestsCount());
    }

    @Test
    void submitValidatesItsFields() {
        InProcessOversight o = oversight();
        SubmitRequestRequest ok = Fixtures.submit(uid("req"), T0.plus(TTL));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().submitRequest(ok.toBuilder().setRequestId(" ").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().submitRequest(ok.toBuilder().clearTrade().build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().submitRequest(ok.toBuilder().clearExpiresAt().build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().submitRequest(ok.toBuilder()
                .setRequestId("x".repeat(OversightAuthority.MAX_ID_LENGTH + 1)).build())));
    }

    @Test
    void getRequestStatusFindsOrSaysNotFound() {
        InProcessOversight o = oversight();
        String id = uid("req");
        ApprovalRequest stored = submitted(o, id);
        assertEquals(stored, o.stub().getRequestStatus(GetRequestStatusRequest.newBuilder().setRequestId(id).build()).getRequest());
        assertEquals(Status.Code.NOT_FOUND, code(() -> o.stub().getRequestStatus(
                GetRequestStatusRequest.newBuilder().setRequestId("nope").build())));
    }

    // ---------------------------------------------------------------- decisions

    @Test
    void approveRecordsTheDeciderAndTheFirstDecisionWins() {
        InProcessOversight o = oversight();
        String id = uid("req");
        submitted(o, id);
        o.clock.advance(Duration.ofMinutes(1));
        ApprovalRequest approved = o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).setApprover("alice").setComment(" fine ").build()).getRequest();
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, approved.getStatus());
        assertEquals("alice", approved.getDecidedBy());
        assertEquals("fine", approved.getComment());
        assertEquals(ProtoMapping.timestamp(T0.plus(Duration.ofMinutes(1))), approved.getDecidedAt());

        StatusRuntimeException second = assertThrows(StatusRuntimeException.class, () -> o.stub().rejectRequest(
                RejectRequestRequest.newBuilder().setRequestId(id).setApprover("bob").setReason("no").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, second.getStatus().getCode());
        assertTrue(second.getStatus().getDescription().contains("approved"), second.getStatus().getDescription());
        assertTrue(second.getStatus().getDescription().contains("REQUEST_STATUS_APPROVED"));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).setApprover("alice").build())));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> o.stub().cancelRequest(CancelRequestRequest.newBuilder()
                .setRequestId(id).build())));
        assertEquals(approved, o.authority.get(id));
    }

    @Test
    void rejectNeedsAReasonAndApproveAnApprover() {
        InProcessOversight o = oversight();
        String id = uid("req");
        submitted(o, id);
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().rejectRequest(RejectRequestRequest.newBuilder()
                .setRequestId(id).setApprover("bob").setReason("  ").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).setApprover("bob").setComment("x".repeat(1001)).build())));
        ApprovalRequest rejected = o.stub().rejectRequest(RejectRequestRequest.newBuilder()
                .setRequestId(id).setApprover("bob").setReason("too big").build()).getRequest();
        assertEquals(RequestStatus.REQUEST_STATUS_REJECTED, rejected.getStatus());
        assertEquals("too big", rejected.getComment());
    }

    @Test
    void theOwnerMayNotDecide() {
        InProcessOversight o = oversight();
        String id = uid("req");
        submitted(o, id);
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).setApprover(Fixtures.OWNER).build())));
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> o.stub().rejectRequest(RejectRequestRequest.newBuilder()
                .setRequestId(id).setApprover(Fixtures.OWNER).setReason("mine").build())));
        assertThrows(StatusRuntimeException.class, () -> o.server().approve(id, Fixtures.OWNER, ""));
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, o.authority.get(id).getStatus());
        assertEquals(0, o.authority.lastSequence());
    }

    @Test
    void unknownRequestsAreNotFound() {
        InProcessOversight o = oversight();
        assertEquals(Status.Code.NOT_FOUND, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId("nope").setApprover("alice").build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> o.stub().rejectRequest(RejectRequestRequest.newBuilder()
                .setRequestId("nope").setApprover("alice").setReason("r").build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> o.stub().cancelRequest(CancelRequestRequest.newBuilder()
                .setRequestId("nope").build())));
    }

    @Test
    void cancelWithdrawsAPendingRequestOnce() {
        InProcessOversight o = oversight();
        String id = uid("req");
        submitted(o, id);
        ApprovalRequest cancelled = o.stub().cancelRequest(CancelRequestRequest.newBuilder()
                .setRequestId(id).setReason("trade cancelled by owner").build()).getRequest();
        assertEquals(RequestStatus.REQUEST_STATUS_CANCELLED, cancelled.getStatus());
        assertEquals("", cancelled.getDecidedBy());
        assertEquals("trade cancelled by owner", cancelled.getComment());
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> o.stub().cancelRequest(
                CancelRequestRequest.newBuilder().setRequestId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
        assertTrue(again.getStatus().getDescription().contains("cancelled"));
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void aRequestIsDecidableOnlyBeforeItsDeadline() {
        InProcessOversight o = oversight();
        String early = uid("req");
        String late = uid("req");
        submitted(o, early);
        submitted(o, late);
        o.clock.set(T0.plus(TTL).minusNanos(1));
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, o.server().approve(early, "alice", "").getStatus());

        o.clock.set(T0.plus(TTL)); // exactly expires_at: too late
        ApprovalRequest expired = o.stub().getRequestStatus(GetRequestStatusRequest.newBuilder().setRequestId(late).build())
                .getRequest();
        assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, expired.getStatus());
        assertEquals(ProtoMapping.timestamp(T0.plus(TTL)), expired.getDecidedAt());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> o.stub().approveRequest(
                ApproveRequestRequest.newBuilder().setRequestId(late).setApprover("alice").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("expired"));
        assertEquals(2, o.authority.lastSequence());
    }

    @Test
    void aDecisionJustAfterTheDeadlineSeesTheRequestExpired() {
        InProcessOversight o = oversight();
        String id = uid("req");
        submitted(o, id);
        o.clock.set(T0.plus(TTL).plusMillis(1));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> o.stub().approveRequest(ApproveRequestRequest.newBuilder()
                .setRequestId(id).setApprover("alice").build())));
        assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, o.authority.get(id).getStatus());
    }

    @Test
    void theSweepExpiresWithoutAnyRead() {
        InProcessOversight o = use(new InProcessOversight(RiskRules.defaults(),
                c -> c.withSweepInterval(Duration.ofMillis(10))));
        String id = uid("req");
        submitted(o, id);
        try (Watcher w = Watcher.open(o.async(), 0)) {
            o.clock.set(T0.plus(TTL));
            // no call touches the request: only the sweep can log its expiry
            DecisionEvent e = w.take(1).get(0);
            assertEquals(id, e.getRequest().getRequestId());
            assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, e.getRequest().getStatus());
        }
    }

    @Test
    void aRequestSubmittedPastItsDeadlineIsExpiredAtOnce() {
        InProcessOversight o = oversight();
        ApprovalRequest r = o.stub().submitRequest(Fixtures.submit(uid("req"), T0.minusSeconds(1))).getRequest();
        assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, r.getStatus());
    }

    // ---------------------------------------------------------------- first decision wins, concurrently

    @Test
    void exactlyOneOfEightConcurrentDecidersWins() throws Exception {
        OversightGrpcServer server = use(new OversightGrpcServer(OversightServerConfig.loopback(0),
                new OversightAuthority(new MutableClock(T0))).start());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        use(channel::shutdownNow);
        OversightServiceGrpc.OversightServiceBlockingStub stub = OversightServiceGrpc.newBlockingStub(channel);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        use(pool::shutdownNow);
        for (int round = 0; round < 25; round++) {
            String id = uid("req");
            stub.submitRequest(Fixtures.submit(id, T0.plus(TTL)));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<ApprovalRequest>>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        OversightServiceGrpc.OversightServiceBlockingStub s = stub.withDeadlineAfter(5, TimeUnit.SECONDS);
                        return Optional.of(n % 2 == 0
                                ? s.approveRequest(ApproveRequestRequest.newBuilder().setRequestId(id)
                                .setApprover("approver-" + n).build()).getRequest()
                                : s.rejectRequest(RejectRequestRequest.newBuilder().setRequestId(id)
                                .setApprover("approver-" + n).setReason("no " + n).build()).getRequest());
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.toString());
                        return Optional.empty();
                    }
                }));
            }
            go.countDown();
            List<ApprovalRequest> winners = new ArrayList<>();
            for (Future<Optional<ApprovalRequest>> f : outcomes) {
                f.get(10, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            assertEquals(1, winners.size(), "round " + round);
            ApprovalRequest stored = server.authority().get(id);
            assertEquals(winners.get(0), stored);
        }
        assertEquals(25, server.authority().lastSequence(), "one closing logged per request");
    }

    // ---------------------------------------------------------------- ListRequests

    @Test
    void listFiltersByStatusAndPages() {
        InProcessOversight o = oversight();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(submitted(o, uid("req")).getRequestId());
        }
        o.server().approve(ids.get(1), "alice", "");
        o.server().reject(ids.get(3), "alice", "no");
        o.server().approve(ids.get(5), "alice", "");

        List<String> pending = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListRequestsResponse page = o.stub().listRequests(ListRequestsRequest.newBuilder()
                    .setStatus(RequestStatus.REQUEST_STATUS_PENDING).setPageSize(2).setPageToken(token).build());
            page.getRequestsList().forEach(r -> pending.add(r.getRequestId()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(4), ids.get(6)), pending);
        assertEquals(2, pages);

        ListRequestsResponse approved = o.stub().listRequests(ListRequestsRequest.newBuilder()
                .setStatus(RequestStatus.REQUEST_STATUS_APPROVED).build());
        assertEquals(List.of(ids.get(1), ids.get(5)), approved.getRequestsList().stream().map(ApprovalRequest::getRequestId).toList());
        assertEquals("", approved.getNextPageToken());
        assertEquals(7, o.stub().listRequests(ListRequestsRequest.getDefaultInstance()).getRequestsCount());

        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().listRequests(ListRequestsRequest.newBuilder()
                .setPageToken("garbage!").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> o.stub().listRequests(ListRequestsRequest.newBuilder()
                .setPageSize(201).build())));
    }

    @Test
    void listShowsOverdueRequestsAsExpired() {
        InProcessOversight o = oversight();
        String id = submitted(o, uid("req")).getRequestId();
        o.clock.set(T0.plus(TTL));
        assertEquals(0, o.stub().listRequests(ListRequestsRequest.newBuilder()
                .setStatus(RequestStatus.REQUEST_STATUS_PENDING).build()).getRequestsCount());
        assertEquals(id, o.stub().listRequests(ListRequestsRequest.newBuilder()
                .setStatus(RequestStatus.REQUEST_STATUS_EXPIRED).build()).getRequests(0).getRequestId());
    }

    // ---------------------------------------------------------------- WatchDecisions

    @Test
    void watchReplaysAfterTheCursorThenStreamsLive() {
        InProcessOversight o = oversight();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(submitted(o, uid("req")).getRequestId());
        }
        o.server().approve(ids.get(0), "alice", "ok");
        o.server().reject(ids.get(1), "bob", "no");
        o.server().cancel(ids.get(2), "withdrawn");

        try (Watcher all = Watcher.open(o.async(), 0); Watcher tail = Watcher.open(o.async(), 2)) {
            List<DecisionEvent> replay = all.take(3);
            assertEquals(List.of(1L, 2L, 3L), replay.stream().map(DecisionEvent::getSequence).toList());
            assertEquals(List.of(RequestStatus.REQUEST_STATUS_APPROVED, RequestStatus.REQUEST_STATUS_REJECTED,
                    RequestStatus.REQUEST_STATUS_CANCELLED), replay.stream().map(e -> e.getRequest().getStatus()).toList());
            assertEquals(3L, tail.take(1).get(0).getSequence());

            o.clock.set(T0.plus(TTL)); // the fourth expires, noticed by the next read
            o.authority.expireOverdue();
            DecisionEvent live = all.take(1).get(0);
            assertEquals(4L, live.getSequence());
            assertEquals(ids.get(3), live.getRequest().getRequestId());
            assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, live.getRequest().getStatus());
            assertEquals(live, tail.take(1).get(0));
            assertTrue(all.events.isEmpty());
        }
    }

    @Test
    void watchRefusesACursorOutsideTheKeptEvents() {
        InProcessOversight o = use(new InProcessOversight(RiskRules.defaults(), 2, c -> c));
        for (int i = 0; i < 4; i++) {
            o.server().cancel(submitted(o, uid("req")).getRequestId(), "");
        }
        // kept: 3 and 4. After 2 is fine (3 is the next); after 1 needs 2, which is gone
        try (Watcher ok = Watcher.open(o.async(), 2)) {
            assertEquals(List.of(3L, 4L), ok.take(2).stream().map(DecisionEvent::getSequence).toList());
        }
        try (Watcher old = Watcher.open(o.async(), 1)) {
            assertEquals(Status.Code.OUT_OF_RANGE, old.awaitClose().getCode());
        }
        try (Watcher ahead = Watcher.open(o.async(), 99)) {
            assertEquals(Status.Code.OUT_OF_RANGE, ahead.awaitClose().getCode());
        }
    }

    @Test
    void aWatcherThatFallsBehindIsCancelledAndResumesFromItsCursor() throws Exception {
        InProcessOversight o = use(new InProcessOversight(RiskRules.defaults(), c -> c.withWatchBufferSize(5)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(submitted(o, uid("req")).getRequestId());
        }
        // a client that asks for one message and then stops reading
        ClientCall<WatchDecisionsRequest, DecisionEvent> call = o.channel()
                .newCall(OversightServiceGrpc.getWatchDecisionsMethod(), CallOptions.DEFAULT);
        LinkedBlockingQueue<DecisionEvent> got = new LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<Status> closed = new java.util.concurrent.CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(DecisionEvent message) {
                got.add(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(WatchDecisionsRequest.getDefaultInstance());
        call.halfClose();
        call.request(1);
        Await.until("the watch to open", () -> o.server().watcherCount() == 1);

        o.server().approve(ids.get(0), "alice", "");
        assertEquals(1L, got.poll(5, TimeUnit.SECONDS).getSequence());
        for (int i = 1; i < 12; i++) {
            o.server().approve(ids.get(i), "alice", "");
        }
        Await.until("the slow watcher to be dropped", () -> o.server().watcherCount() == 0);
        call.request(100);
        Status status = closed.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());

        long cursor = 1;
        for (DecisionEvent e : got) {
            cursor = Math.max(cursor, e.getSequence());
        }
        try (Watcher resumed = Watcher.open(o.async(), cursor)) {
            List<DecisionEvent> rest = resumed.take((int) (12 - cursor));
            assertEquals(cursor + 1, rest.get(0).getSequence());
            assertEquals(12L, rest.get(rest.size() - 1).getSequence());
        }
    }

    // ---------------------------------------------------------------- health, reflection, shutdown

    @Test
    void servesHealthAndReflection() throws Exception {
        InProcessOversight o = oversight();
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(o.channel());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                .setService(OversightServiceGrpc.SERVICE_NAME).build()).getStatus());

        java.util.concurrent.CompletableFuture<ServerReflectionResponse> answer = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(o.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        Set<String> services = new HashSet<>();
        for (ServiceResponse s : answer.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList()) {
            services.add(s.getName());
        }
        requests.onCompleted();
        assertTrue(services.contains(OversightServiceGrpc.SERVICE_NAME), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    }

    @Test
    void closeEndsWatchStreamsWithUnavailableWithoutWaitingTheGrace() {
        InProcessOversight o = use(new InProcessOversight(RiskRules.defaults(),
                c -> c.withShutdownGrace(Duration.ofSeconds(20))));
        try (Watcher w = Watcher.open(o.async(), 0)) {
            Await.until("the watch to open", () -> o.server().watcherCount() == 1);
            long start = System.nanoTime();
            o.stop();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Status.Code.UNAVAILABLE, w.awaitClose().getCode());
            assertTrue(tookMs < 3_000, "close took " + tookMs + " ms");
        }
        o.start(); // so tearDown closes a running server
    }

    @Test
    void aRestartedServerOverTheSameAuthorityContinuesTheSequence() {
        InProcessOversight o = oversight();
        String a = submitted(o, uid("req")).getRequestId();
        o.server().approve(a, "alice", "");
        o.stop();
        String b = uid("req");
        o.authority.submit(Fixtures.submit(b, T0.plus(TTL)));
        o.authority.reject(b, "bob", "while down");
        o.start();
        try (Watcher w = Watcher.open(o.async(), 1)) {
            DecisionEvent e = w.take(1).get(0);
            assertEquals(2L, e.getSequence());
            assertEquals(b, e.getRequest().getRequestId());
        }
    }
}
