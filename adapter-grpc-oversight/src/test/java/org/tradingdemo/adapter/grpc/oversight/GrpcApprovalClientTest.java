package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.T0;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.domain.port.ApprovalRefusedException;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.RequestStatus;

@Timeout(60)
class GrpcApprovalClientTest {

    private static final UserId APPROVER = UserId.of("approver-1");
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Agent agent = Fixtures.agent(Fixtures.OWNER);
    private final Trade trade = Fixtures.trade(agent, Side.BUY, "400", "150");
    private final OversightRequest pending = Fixtures.pending(trade, T0);

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

    private GrpcApprovalClient client(InProcessOversight o) {
        return use(new GrpcApprovalClient(OversightClientConfig.of(o.target()),
                id -> id.equals(agent.id()) ? Optional.of(agent.userId()) : Optional.empty()));
    }

    private static ApprovalRequest at(InProcessOversight o, OversightRequest r) {
        return o.authority.get(r.id().value());
    }

    // ---------------------------------------------------------------- evaluate

    @Test
    void evaluateGivesTheServersVerdictAsADomainAssessment() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        RiskAssessment remote = client.evaluate(agent, trade, Fixtures.portfolio(agent));
        assertEquals(OversightPolicy.withDefaults().assess(agent, trade, Fixtures.portfolio(agent)), remote);
        assertEquals(RiskLevel.HIGH, remote.level());
        assertTrue(remote.requiresApproval());

        Trade small = Fixtures.trade(agent, Side.BUY, "1", "150");
        assertEquals(RiskAssessment.autonomous(RiskLevel.LOW), client.evaluate(agent, small, Fixtures.portfolio(agent)));
    }

    @Test
    void criticalMapsToHighAndAlwaysNeedsApproval() {
        InProcessOversight o = use(new InProcessOversight(request -> EvaluateRiskResponse.newBuilder()
                .setLevel(org.tradingdemo.proto.oversight.v1.RiskLevel.RISK_LEVEL_CRITICAL)
                .setRequiresApproval(false)
                .addReasons("sanctioned symbol")
                .build(), c -> c));
        RiskAssessment r = client(o).evaluate(agent, trade, Fixtures.portfolio(agent));
        assertEquals(new RiskAssessment(RiskLevel.HIGH, true, List.of("sanctioned symbol")), r);

        InProcessOversight blank = use(new InProcessOversight(request -> EvaluateRiskResponse.getDefaultInstance(), c -> c));
        RiskAssessment unknown = client(blank).evaluate(agent, trade, Fixtures.portfolio(agent));
        assertEquals(RiskLevel.HIGH, unknown.level());
        assertTrue(unknown.requiresApproval(), "an unspecified level fails safe");
    }

    @Test
    void aRefusedEvaluationIsUnavailableNotABug() {
        InProcessOversight o = use(new InProcessOversight(request -> {
            throw new IllegalArgumentException("agent.budget is required");
        }, c -> c));
        OversightUnavailableException e = assertThrows(OversightUnavailableException.class,
                () -> client(o).evaluate(agent, trade, Fixtures.portfolio(agent)));
        assertEquals(OversightClientConfig.DEFAULT_RETRY_AFTER, e.retryAfter());
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(e.getCause()).getCode());
    }

    // ---------------------------------------------------------------- submit

    @Test
    void submitIsIdempotentAndCarriesTradeDeadlineAndOwner() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        client.submit(pending, trade);
        ApprovalRequest stored = at(o, pending);
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, stored.getStatus());
        assertEquals(Fixtures.OWNER, stored.getOwnerUserId());
        assertEquals(ProtoMapping.timestamp(pending.expiresAt()), stored.getExpiresAt());
        assertEquals(ProtoMapping.tradeDetails(trade), stored.getTrade());
        assertEquals("60000.00", stored.getTrade().getAmount().getAmount());
        assertEquals(pending.reason(), stored.getReason());
        assertEquals(1, o.authority.list(org.tradingdemo.proto.oversight.v1.ListRequestsRequest.getDefaultInstance())
                .getRequestsCount());
    }

    @Test
    void withoutALookupTheOwnerComesFromTheAgentsEvaluated() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = use(new GrpcApprovalClient(OversightClientConfig.of(o.target())));
        client.evaluate(agent, trade, Fixtures.portfolio(agent));
        client.submit(pending, trade);
        assertEquals(Fixtures.OWNER, at(o, pending).getOwnerUserId());
    }

    // ---------------------------------------------------------------- reportDecision

    @Test
    void reportDecisionRecordsEachKindOfClosingAndIsIdempotent() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        OversightRequest approved = open(client).approve(APPROVER, Optional.of("ok"), T0.plusSeconds(60));
        OversightRequest rejected = open(client).reject(APPROVER, "too big", T0.plusSeconds(60));
        OversightRequest cancelled = open(client).cancel("trade cancelled", T0.plusSeconds(60));

        for (OversightRequest r : List.of(approved, rejected, cancelled)) {
            client.reportDecision(r, trade);
            client.reportDecision(r, trade); // the repeat finds our own closing: success
            ApprovalRequest there = at(o, r);
            assertEquals(ProtoMapping.status(r.status()), there.getStatus());
            assertEquals(r.processedBy().map(UserId::value).orElse(""), there.getDecidedBy());
            assertEquals(r.comment().orElse(""), there.getComment());
        }
        assertEquals(3, o.authority.lastSequence(), "one closing each, no duplicates");
    }

    @Test
    void reportDecisionOfARequestTheServerDecidedOtherwiseOnlyLogs() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        OversightRequest r = open(client);
        o.server().approve(r.id().value(), "alice", "");
        client.reportDecision(r.reject(APPROVER, "no", T0.plusSeconds(5)), trade);
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, at(o, r).getStatus());
    }

    @Test
    void reportDecisionOfAnUnknownRequestSubmitsItFirst() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        OversightRequest approved = pending.approve(APPROVER, Optional.empty(), T0.plusSeconds(1));
        client.reportDecision(approved, trade);
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, at(o, approved).getStatus());
    }

    // ---------------------------------------------------------------- settle

    @Test
    void settleReturnsOurClosingWhenOursIsFirst() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        OversightRequest ours = pending.approve(APPROVER, Optional.of("go"), T0.plusSeconds(30));
        assertSame(ours, client.settle(ours, trade));
        ApprovalRequest there = at(o, pending);
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, there.getStatus());
        assertEquals(APPROVER.value(), there.getDecidedBy());
        assertSame(ours, client.settle(ours, trade), "settling again (a retry) still answers ours");
    }

    @Test
    void settleReturnsTheServersEarlierDecisionWhenTheServerDecidedFirst() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        o.clock.advance(Duration.ofMinutes(2));
        o.server().approve(pending.id().value(), "alice", "fine by me");

        OversightRequest ours = pending.reject(APPROVER, "too risky", T0.plusSeconds(200));
        OversightRequest settled = client.settle(ours, trade);
        assertEquals(OversightStatus.APPROVED, settled.status());
        assertEquals(Optional.of(UserId.of("alice")), settled.processedBy());
        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(2))), settled.processedAt());
        assertEquals(Optional.of("fine by me"), settled.comment());
        assertEquals(pending.id(), settled.id());
        assertEquals(pending.tradeId(), settled.tradeId());
        assertEquals(pending.expiresAt(), settled.expiresAt());
        assertEquals(RequestStatus.REQUEST_STATUS_APPROVED, at(o, pending).getStatus());
    }

    @Test
    void settleTellsAnAuthorityThatNeverHeardOfTheRequestFirst() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        OversightRequest ours = pending.cancel("agent terminated", T0.plusSeconds(3));
        assertSame(ours, client.settle(ours, trade));
        ApprovalRequest there = at(o, pending);
        assertEquals(RequestStatus.REQUEST_STATUS_CANCELLED, there.getStatus());
        assertEquals(Fixtures.OWNER, there.getOwnerUserId());
        assertEquals(ProtoMapping.tradeDetails(trade), there.getTrade());
    }

    @Test
    void settleAnExpiryTheAuthorityAlsoSaw() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        o.clock.set(pending.expiresAt());
        OversightRequest ours = pending.expire(pending.expiresAt());
        assertSame(ours, client.settle(ours, trade));
        assertEquals(RequestStatus.REQUEST_STATUS_EXPIRED, at(o, pending).getStatus());
    }

    @Test
    void settleAnExpiryTheAuthorityHasNotSeenYetWithdrawsTheRequestThere() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        o.clock.set(pending.expiresAt().minusSeconds(2)); // the authority's clock lags ours
        OversightRequest ours = pending.expire(pending.expiresAt());
        assertSame(ours, client.settle(ours, trade));
        ApprovalRequest there = at(o, pending);
        assertEquals(RequestStatus.REQUEST_STATUS_CANCELLED, there.getStatus());
        assertTrue(there.getComment().startsWith(GrpcApprovalClient.EXPIRED_REASON_PREFIX), there.getComment());
        assertThrows(StatusRuntimeException.class, () -> o.server().approve(pending.id().value(), "alice", "late"));
    }

    @Test
    void settleAnExpiryAfterTheAuthorityApprovedInTimeGivesTheApproval() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        o.clock.set(pending.expiresAt().minusSeconds(1));
        o.server().approve(pending.id().value(), "alice", "");
        OversightRequest settled = client.settle(pending.expire(pending.expiresAt()), trade);
        assertEquals(OversightStatus.APPROVED, settled.status());
        assertEquals(Optional.of(UserId.of("alice")), settled.processedBy());
        assertEquals(Optional.empty(), settled.comment());
    }

    @Test
    void settleASelfApprovalTheAuthorityRefusesThrowsAndChangesNothing() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        client.submit(pending, trade);
        OversightRequest self = pending.approve(UserId.of(Fixtures.OWNER), Optional.empty(), T0.plusSeconds(1));
        ApprovalRefusedException e = assertThrows(ApprovalRefusedException.class, () -> client.settle(self, trade));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertEquals(RequestStatus.REQUEST_STATUS_PENDING, at(o, pending).getStatus());
    }

    @Test
    void aPendingRequestCannotBeSettledOrReported() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        assertThrows(IllegalArgumentException.class, () -> client.settle(pending, trade));
        assertThrows(IllegalArgumentException.class, () -> client.reportDecision(pending, trade));
    }

    // ---------------------------------------------------------------- availability

    @Test
    void aStoppedServerIsUnavailableWithinDeadlineTimesAttempts() throws IOException {
        OversightGrpcServer server = new OversightGrpcServer(OversightServerConfig.loopback(0), new MutableClock(T0)).start();
        int port = server.port();
        server.close();
        OversightClientConfig config = OversightClientConfig.of("127.0.0.1:" + port);
        GrpcApprovalClient client = use(new GrpcApprovalClient(config));
        long budgetMs = config.deadline().toMillis() * config.maxAttempts()
                + OversightClientConfig.DEFAULT_INITIAL_BACKOFF.toMillis() * 4; // 50 + 100 (+20 % jitter) between attempts

        for (Runnable call : List.<Runnable>of(
                () -> client.evaluate(agent, trade, Fixtures.portfolio(agent)),
                () -> client.submit(pending, trade),
                () -> client.settle(pending.approve(APPROVER, Optional.empty(), T0.plusSeconds(1)), trade))) {
            long start = System.nanoTime();
            OversightUnavailableException e = assertThrows(OversightUnavailableException.class, call::run);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs <= budgetMs + 500, "gave up after " + tookMs + " ms, budget " + budgetMs);
            assertEquals(config.retryAfter(), e.retryAfter());
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(e.getCause()).getCode());
        }
        assertFalse(client.isReady());
    }

    @Test
    void aSilentServerRunsIntoTheDeadlineOnEveryAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        InProcessOversight o = use(new InProcessOversight(request -> {
            attempts.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS); // never answers in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return EvaluateRiskResponse.getDefaultInstance();
        }, c -> c));
        use(release::countDown);
        OversightClientConfig config = OversightClientConfig.of(o.target()).withDeadline(Duration.ofMillis(100))
                .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(40));
        GrpcApprovalClient client = use(new GrpcApprovalClient(config));
        long start = System.nanoTime();
        OversightUnavailableException e = assertThrows(OversightUnavailableException.class,
                () -> client.evaluate(agent, trade, Fixtures.portfolio(agent)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(e.getCause()).getCode());
        assertEquals(3, attempts.get());
        // 3 × 100 ms deadlines + 2 pauses (≤ 24 + 48 ms); far less than one unbounded answer (10 s)
        assertTrue(tookMs >= 300 && tookMs < 1_500, "took " + tookMs + " ms");
    }

    @Test
    void isReadyFollowsTheChannelWithoutBlocking() {
        InProcessOversight o = oversight();
        GrpcApprovalClient client = client(o);
        Await.until("the channel to connect", client::isReady);
        o.stop();
        assertThrows(OversightUnavailableException.class, () -> client.evaluate(agent, trade, Fixtures.portfolio(agent)));
        Await.until("the client to notice", () -> !client.isReady());
        o.start();
        client.evaluate(agent, trade, Fixtures.portfolio(agent));
        assertTrue(client.isReady());
    }

    private OversightRequest open(GrpcApprovalClient client) {
        OversightRequest r = Fixtures.pending(trade, T0);
        client.submit(r, trade);
        return r;
    }
}
