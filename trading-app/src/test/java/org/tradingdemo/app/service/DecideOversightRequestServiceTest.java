package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.APPROVER;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OWNER;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SETTINGS;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.awaitingApproval;
import static org.tradingdemo.app.service.ServiceTestData.overdueRequest;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.portfolio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.AlreadyClosed;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Approved;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecisionResult;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.NotFound;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.OversightUnavailable;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Rejected;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.SelfDecisionForbidden;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.event.OversightDecided;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.event.TradeUpdated;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.ApprovalRefusedException;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightUnavailableException;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.UsageLedger;

@ExtendWith(MockitoExtension.class)
class DecideOversightRequestServiceTest {

    private static final OversightRequestId REQUEST_ID = OversightRequestId.of("req-1");

    @Mock OversightRequestRepository requests;
    @Mock TradeRepository trades;
    @Mock AgentRepository agents;
    @Mock PortfolioRepository portfolios;
    @Mock UsageLedger ledger;
    @Mock AlertRepository alerts;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) ApprovalPort approval;
    @Mock EventPublisher events;
    @Mock NotificationPort notifier;
    @Mock Outbox outbox;
    @Mock IdGenerator ids;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private DecideOversightRequestService service;

    /** A 1,500 USD buy waiting for a human, holding metering reservation res-1 and 1,500 of cash. */
    private final Trade trade = awaitingApproval("trade-1", "10", "150", "res-1");
    private final OversightRequest request = pendingRequest("req-1", trade);
    private final Portfolio reserved = portfolio().reserve(trade);

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        OutboxRelay relay = new OutboxRelay(outbox, tx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), CLOCK);
        TradeSettlement settlement = new TradeSettlement(tx, trades, portfolios, requests, ledger, alerts, relay,
                approval, events, ids, CLOCK, SETTINGS.quotaPolicy());
        service = new DecideOversightRequestService(requests, trades, agents, settlement, new AgentLocks(), CLOCK);
        journal.watch(trades, portfolios, requests, alerts, ledger, quota, approval, events, notifier, outbox);
    }

    private static DecideCommand approve(Actor actor) {
        return new DecideCommand(actor, REQUEST_ID, Decision.APPROVE, Optional.empty());
    }

    private static DecideCommand reject(Actor actor, String comment) {
        return new DecideCommand(actor, REQUEST_ID, Decision.REJECT, Optional.of(comment));
    }

    /** The request as stored; once the use case saves it, the saved one (the relay reads it after commit). */
    private void stored(OversightRequest r) {
        when(requests.findById(REQUEST_ID)).thenAnswer(journal.savedOr(r));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
    }

    private void tradeAndPortfolioStored() {
        when(trades.findById(trade.id())).thenAnswer(journal.savedOr(trade));
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(reserved));
    }

    private List<DomainEvent> published() {
        ArgumentCaptor<DomainEvent> captor = ArgumentCaptor.forClass(DomainEvent.class);
        verify(events, org.mockito.Mockito.atLeast(0)).publish(captor.capture());
        return captor.getAllValues();
    }

    private void verifyNothingWritten() {
        verifyNoInteractions(tx, quota, approval, events, notifier, outbox, portfolios, ledger, alerts);
        verify(requests, never()).save(any());
        verify(trades, never()).save(any());
    }

    @Test
    void approvingExecutesTheTradeConsumingItsReservationAndCompletesTheQuotaAfterCommit() {
        stored(request);
        tradeAndPortfolioStored();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());

        DecisionResult result = service.decide(new DecideCommand(SUPERVISOR, REQUEST_ID, Decision.APPROVE,
                Optional.of("within mandate")));

        OversightRequest approved = request.approve(APPROVER, Optional.of("within mandate"), NOW);
        Trade executed = trade.execute(NOW);
        Portfolio after = reserved.apply(executed);
        assertEquals(new Approved(approved, executed, after), result);
        assertEquals(OversightStatus.APPROVED, approved.status());
        assertEquals(Money.usd("98500.00"), after.cash());
        assertEquals(after.cash(), after.availableCash());

        // the decision is recorded at the oversight authority first; then the three effects are outbox
        // rows of the transaction, delivered in order right after commit (the message to humans now goes
        // out with them, before the events)
        assertEquals(List.of("approval.settle approved",
                "begin", "trades.save", "portfolios.save", "requests.save", "ledger.append",
                "outbox.append quota.complete {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.complete", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish portfolio:update", "publish oversight:decided"), journal.entries());
        verify(outbox, never()).save(any());
        verify(trades).save(executed);
        verify(portfolios).save(after);
        verify(requests).save(approved);
        verify(ledger).append(UsageRecord.tradeExecuted(executed, NOW));
        verify(quota).complete("res-1");
        verify(quota, never()).release(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approved), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(approved, executed));
        assertEquals(List.of(new TradeUpdated(executed, NOW), new PortfolioUpdated(after, NOW),
                new OversightDecided(approved, executed, NOW)), published());
    }

    @Test
    void rejectingReleasesTheCashAndTheQuotaAndRecordsNoVolume() {
        stored(request);
        tradeAndPortfolioStored();

        DecisionResult result = service.decide(reject(SUPERVISOR, "  too concentrated  "));

        OversightRequest rejected = request.reject(APPROVER, "too concentrated", NOW);
        Trade rejectedTrade = trade.reject("rejected by approver: too concentrated", NOW);
        assertEquals(new Rejected(rejected, rejectedTrade), result);
        assertEquals(Optional.of("too concentrated"), rejected.comment());

        verify(approval).settle(rejected, trade);
        assertEquals(List.of("approval.settle rejected", "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update"), journal.entries());
        verify(trades).save(rejectedTrade);
        verify(portfolios).save(portfolio());
        verify(requests).save(rejected);
        verify(quota).release("res-1");
        verify(quota, never()).complete(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(rejected), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(rejected, rejectedTrade));
        verifyNoInteractions(ledger, alerts);
        assertEquals(List.of(new TradeUpdated(rejectedTrade, NOW), new OversightDecided(rejected, rejectedTrade, NOW),
                new PortfolioUpdated(portfolio(), NOW)), published());
    }

    @Test
    void aRejectionWithoutACommentIsInvalidBeforeTheServiceIsAsked() {
        ValidationException missing = assertThrows(ValidationException.class,
                () -> new DecideCommand(SUPERVISOR, REQUEST_ID, Decision.REJECT, Optional.empty()));
        ValidationException blank = assertThrows(ValidationException.class,
                () -> new DecideCommand(SUPERVISOR, REQUEST_ID, Decision.REJECT, Optional.of("   ")));

        assertEquals(List.of(new FieldError("comment", "comment is required to reject")), missing.errors());
        assertEquals(missing.errors(), blank.errors());
    }

    @Test
    void aCommentLongerThanTheLimitIsInvalidForEitherDecision() {
        String tooLong = "x".repeat(OversightRequest.MAX_COMMENT_LENGTH + 1);

        ValidationException e = assertThrows(ValidationException.class,
                () -> new DecideCommand(SUPERVISOR, REQUEST_ID, Decision.APPROVE, Optional.of(tooLong)));

        assertEquals(List.of("comment"), e.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void anApproverMayNotDecideOnTheirOwnAgentsTrade() {
        stored(request);

        DecisionResult result = service.decide(approve(Actor.supervisor(OWNER)));

        assertEquals(new SelfDecisionForbidden(), result);
        verifyNothingWritten();
    }

    @Test
    void theOwnerMayNotRejectEither() {
        stored(request);

        assertEquals(new SelfDecisionForbidden(), service.decide(reject(OWNER_ACTOR, "changed my mind")));
        verifyNothingWritten();
    }

    @Test
    void aSecondDecisionFindsTheRequestClosed() {
        OversightRequest alreadyApproved = request.approve(UserId.of("approver-2"), Optional.empty(), NOW.minusSeconds(30));
        stored(alreadyApproved);

        DecisionResult result = service.decide(reject(SUPERVISOR, "too late"));

        assertEquals(new AlreadyClosed(alreadyApproved), result);
        verifyNothingWritten();
        verifyNoInteractions(trades);
    }

    @Test
    void aDecisionAfterTheDeadlineExpiresTheRequestAndCancelsTheTrade() {
        OversightRequest overdue = overdueRequest("req-1", trade);
        stored(overdue);
        tradeAndPortfolioStored();

        DecisionResult result = service.decide(approve(SUPERVISOR));

        OversightRequest expired = overdue.expire(NOW);
        assertEquals(new AlreadyClosed(expired), result);
        assertEquals(OversightStatus.EXPIRED, expired.status());
        verify(trades).save(trade.cancel("approval expired", NOW));
        verify(portfolios).save(portfolio());
        verify(requests).save(expired);
        verify(quota).release("res-1");
        verify(quota, never()).complete(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(expired), org.mockito.ArgumentMatchers.any());
        verifyNoInteractions(ledger);
        // the expiry, too, is recorded at the oversight authority before anything is written here
        verify(approval).settle(expired, trade);
        assertEquals(List.of("approval.settle expired", "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update"), journal.entries());
    }

    @Test
    void anUnknownRequestIsNotFound() {
        when(requests.findById(REQUEST_ID)).thenReturn(Optional.empty());

        assertEquals(new NotFound(), service.decide(approve(SUPERVISOR)));
        verifyNothingWritten();
        verifyNoInteractions(agents, trades);
    }

    @Test
    void aTraderWhoCannotSeeTheAgentGetsNotFound() {
        stored(request);

        assertEquals(new NotFound(), service.decide(approve(STRANGER_ACTOR)));
        verifyNothingWritten();
        verifyNoInteractions(trades);
    }

    @Test
    void twoApproversDecidingAtOnceProduceExactlyOneDecision() throws Exception {
        // a request store that remembers the last save, like a real one
        AtomicReference<OversightRequest> current = new AtomicReference<>(request);
        when(requests.findById(REQUEST_ID)).thenAnswer(inv -> Optional.of(current.get()));
        doAnswer(inv -> {
            current.set(inv.getArgument(0));
            return null;
        }).when(requests).save(any());
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        tradeAndPortfolioStored();
        // only read when the approval wins
        lenient().when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());

        CountDownLatch start = new CountDownLatch(1);
        Callable<DecisionResult> approveIt = () -> {
            start.await();
            return service.decide(approve(SUPERVISOR));
        };
        Callable<DecisionResult> rejectIt = () -> {
            start.await();
            return service.decide(reject(Actor.supervisor(UserId.of("approver-2")), "no"));
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<DecisionResult> results = new ArrayList<>();
        try {
            Future<DecisionResult> a = pool.submit(approveIt);
            Future<DecisionResult> b = pool.submit(rejectIt);
            start.countDown();
            results.add(a.get(10, TimeUnit.SECONDS));
            results.add(b.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }

        long decided = results.stream().filter(r -> r instanceof Approved || r instanceof Rejected).count();
        long closed = results.stream().filter(r -> r instanceof AlreadyClosed).count();
        assertEquals(1, decided);
        assertEquals(1, closed);
        verify(trades, times(1)).save(any());
        verify(requests, times(1)).save(any());
    }

    // ---- the oversight authority records every decision first (ApprovalPort.settle) ----

    /** Another approver, deciding at the oversight service 30 seconds ago. */
    private static final UserId ELSEWHERE = UserId.of("approver-2");

    private DecideCommand command(Decision decision) {
        return decision == Decision.APPROVE ? approve(SUPERVISOR) : reject(SUPERVISOR, "too concentrated");
    }

    @Test
    void theDecisionIsRecordedAtTheAuthorityBeforeAnythingIsWrittenHere() {
        stored(request);
        tradeAndPortfolioStored();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());

        service.decide(approve(SUPERVISOR));

        OversightRequest approved = request.approve(APPROVER, Optional.empty(), NOW);
        InOrder order = inOrder(approval, tx, trades, portfolios, requests, quota, events);
        order.verify(approval).settle(approved, trade);
        order.verify(tx).inTransaction(any());
        order.verify(trades).save(trade.execute(NOW));
        order.verify(portfolios).save(any());
        order.verify(requests).save(approved);
        order.verify(quota).complete("res-1");
        order.verify(events, org.mockito.Mockito.atLeastOnce()).publish(any());
        assertEquals("approval.settle approved", journal.entries().get(0));
    }

    @Test
    void whenTheAuthorityAlreadyApprovedARejectionComesTooLateAndTheTradeExecutes() {
        stored(request);
        tradeAndPortfolioStored();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        OversightRequest approvedElsewhere = request.approve(ELSEWHERE, Optional.of("fine"), NOW.minusSeconds(30));
        doAnswer(journal.settlesAs(approvedElsewhere)).when(approval).settle(any(), any());

        DecisionResult result = service.decide(reject(SUPERVISOR, "too concentrated"));

        // the authority's decision is the one applied: executed exactly as on an approval here
        assertEquals(new AlreadyClosed(approvedElsewhere), result);
        verify(approval).settle(request.reject(APPROVER, "too concentrated", NOW), trade);
        Trade executed = trade.execute(NOW);
        Portfolio after = reserved.apply(executed);
        verify(trades).save(executed);
        verify(portfolios).save(after);
        verify(requests).save(approvedElsewhere);
        verify(ledger).append(UsageRecord.tradeExecuted(executed, NOW));
        verify(quota).complete("res-1");
        verify(quota, never()).release(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approvedElsewhere), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(approvedElsewhere, executed));
        assertEquals(List.of(new TradeUpdated(executed, NOW), new PortfolioUpdated(after, NOW),
                new OversightDecided(approvedElsewhere, executed, NOW)), published());
        assertEquals(List.of("approval.settle rejected", "begin", "trades.save", "portfolios.save", "requests.save",
                "ledger.append",
                "outbox.append quota.complete {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.complete", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish portfolio:update", "publish oversight:decided"), journal.entries());
    }

    @Test
    void whenTheAuthorityAlreadyRejectedAnApprovalComesTooLateAndTheTradeIsRejected() {
        stored(request);
        tradeAndPortfolioStored();
        OversightRequest rejectedElsewhere = request.reject(ELSEWHERE, "too risky", NOW.minusSeconds(30));
        doAnswer(journal.settlesAs(rejectedElsewhere)).when(approval).settle(any(), any());

        DecisionResult result = service.decide(approve(SUPERVISOR));

        assertEquals(new AlreadyClosed(rejectedElsewhere), result);
        verify(approval).settle(request.approve(APPROVER, Optional.empty(), NOW), trade);
        Trade rejectedTrade = trade.reject("rejected by approver: too risky", NOW);
        assertEquals(TradeStatus.REJECTED, rejectedTrade.status());
        verify(trades).save(rejectedTrade);
        verify(portfolios).save(portfolio());
        verify(requests).save(rejectedElsewhere);
        verify(quota).release("res-1");
        verify(quota, never()).complete(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(rejectedElsewhere), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(rejectedElsewhere, rejectedTrade));
        verifyNoInteractions(ledger, alerts);
        assertEquals(List.of(new TradeUpdated(rejectedTrade, NOW),
                new OversightDecided(rejectedElsewhere, rejectedTrade, NOW),
                new PortfolioUpdated(portfolio(), NOW)), published());
    }

    @Test
    void aRetriedApprovalTheAuthorityAlreadyRecordedFromTheSameApproverIsStillApproved() {
        // the first attempt reached the authority but its answer was lost: the authority returns that approval
        stored(request);
        tradeAndPortfolioStored();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        OversightRequest recordedBefore = request.approve(APPROVER, Optional.empty(), NOW.minusSeconds(2));
        doAnswer(journal.settlesAs(recordedBefore)).when(approval).settle(any(), any());

        DecisionResult result = service.decide(approve(SUPERVISOR));

        Trade executed = trade.execute(NOW);
        assertEquals(new Approved(recordedBefore, executed, reserved.apply(executed)), result);
        verify(requests).save(recordedBefore);
    }

    @Test
    void aLateDecisionWhereTheAuthorityApprovedBeforeTheDeadlineExecutesTheTrade() {
        OversightRequest overdue = overdueRequest("req-1", trade);
        stored(overdue);
        tradeAndPortfolioStored();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        OversightRequest approvedInTime = overdue.approve(ELSEWHERE, Optional.empty(),
                overdue.expiresAt().minusSeconds(1));
        doAnswer(journal.settlesAs(approvedInTime)).when(approval).settle(any(), any());

        DecisionResult result = service.decide(reject(SUPERVISOR, "too late anyway"));

        // we asked to expire it; the authority's approval came first and is what happened
        assertEquals(new AlreadyClosed(approvedInTime), result);
        verify(approval).settle(overdue.expire(NOW), trade);
        verify(trades).save(trade.execute(NOW));
        verify(requests).save(approvedInTime);
        verify(quota).complete("res-1");
        verify(quota, never()).release(any());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Decision.class)
    void whenTheAuthorityIsUnavailableNothingChanges(Decision decision) {
        stored(request);
        when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
        doThrow(new OversightUnavailableException("oversight did not answer", Duration.ofSeconds(4), null))
                .when(approval).settle(any(), any());

        DecisionResult result = service.decide(command(decision));

        assertEquals(new OversightUnavailable(Duration.ofSeconds(4)), result);
        verify(approval).settle(any(), any());
        verifyNoMoreInteractions(approval);
        verifyNoInteractions(tx, quota, events, notifier, outbox, portfolios, ledger, alerts);
        verify(requests, never()).save(any());
        verify(trades, never()).save(any());
        assertEquals(List.of(), journal.entries());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Decision.class)
    void whenTheAuthorityRefusesTheDecisionItIsASelfDecisionAndNothingChanges(Decision decision) {
        // the authority knows the approver owns the agent (e.g. through another account mapping)
        stored(request);
        when(trades.findById(trade.id())).thenReturn(Optional.of(trade));
        doThrow(new ApprovalRefusedException("approver-1 may not decide on a trade of their own agent"))
                .when(approval).settle(any(), any());

        DecisionResult result = service.decide(command(decision));

        assertEquals(new SelfDecisionForbidden(), result);
        verify(approval).settle(any(), any());
        verifyNoMoreInteractions(approval);
        verifyNoInteractions(tx, quota, events, notifier, outbox, portfolios, ledger, alerts);
        verify(requests, never()).save(any());
        verify(trades, never()).save(any());
    }
}
