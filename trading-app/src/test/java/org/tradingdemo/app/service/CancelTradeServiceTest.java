package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SETTINGS;
import static org.tradingdemo.app.service.ServiceTestData.STRANGER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.awaitingApproval;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.portfolio;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CancelTradeUseCase.CancelTradeCommand;
import org.tradingdemo.app.port.in.CancelTradeUseCase.CancelTradeResult;
import org.tradingdemo.app.port.in.CancelTradeUseCase.Cancelled;
import org.tradingdemo.app.port.in.CancelTradeUseCase.Conflict;
import org.tradingdemo.app.port.in.CancelTradeUseCase.NotFound;
import org.tradingdemo.app.port.in.CancelTradeUseCase.OversightUnavailable;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ValidationException;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
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
class CancelTradeServiceTest {

    @Mock TradeRepository trades;
    @Mock AgentRepository agents;
    @Mock OversightRequestRepository requests;
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
    private CancelTradeService service;

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
        service = new CancelTradeService(trades, agents, requests, settlement, new AgentLocks(), CLOCK);
        journal.watch(trades, portfolios, requests, quota, approval, events, notifier, outbox);
    }

    private static CancelTradeCommand cancel(Actor actor) {
        return new CancelTradeCommand(actor, TradeId.of("trade-1"), Optional.empty());
    }

    /** The trade as stored; once the use case saves it, the saved one (the relay reads it after commit). */
    private void stored(Trade t) {
        when(trades.findById(t.id())).thenAnswer(journal.savedOr(t));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
    }

    private void waitingWithRequest() {
        stored(trade);
        when(requests.findByTradeId(trade.id())).thenReturn(Optional.of(request));
        when(requests.findById(request.id())).thenAnswer(journal.saved());
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(reserved));
    }

    private void verifyNothingWritten() {
        verifyNoInteractions(tx, quota, approval, events, notifier, outbox, portfolios, ledger);
        verify(trades, never()).save(any());
        verify(requests, never()).save(any());
    }

    @Test
    void theOwnerCancelsAWaitingTradeItsRequestAndEveryReservationAfterCommit() {
        waitingWithRequest();

        CancelTradeResult result = service.cancel(cancel(OWNER_ACTOR));

        Trade cancelled = trade.cancel("cancelled by owner-1", NOW);
        OversightRequest closed = request.cancel("cancelled by owner-1", NOW);
        assertEquals(new Cancelled(cancelled, portfolio()), result);
        assertEquals(TradeStatus.CANCELLED, cancelled.status());
        assertEquals(OversightStatus.CANCELLED, closed.status());
        verify(trades).save(cancelled);
        verify(portfolios).save(portfolio());
        verify(requests).save(closed);
        verify(quota).release("res-1");
        verify(quota, never()).complete(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(closed), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(closed, cancelled));
        verify(approval).settle(closed, trade);
        // the cancellation is recorded at the oversight authority first; then the three effects are
        // outbox rows of the transaction, delivered in order right after commit (the message to humans
        // now goes out with them, before the events)
        assertEquals(List.of("approval.settle cancelled", "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update"), journal.entries());
        verify(outbox, never()).save(any());
        verifyNoInteractions(ledger, alerts, ids);
    }

    @Test
    void theGivenReasonIsKept() {
        waitingWithRequest();

        Cancelled result = (Cancelled) service.cancel(
                new CancelTradeCommand(OWNER_ACTOR, trade.id(), Optional.of("  changed my mind ")));

        assertEquals(Optional.of("changed my mind"), result.trade().reason());
        verify(requests).save(request.cancel("changed my mind", NOW));
    }

    @Test
    void aSupervisorMayCancel() {
        waitingWithRequest();

        CancelTradeResult result = service.cancel(cancel(SUPERVISOR));

        assertEquals(new Cancelled(trade.cancel("cancelled by approver-1", NOW), portfolio()), result);
    }

    @Test
    void aWaitingTradeWithoutARequestIsStillCancelled() {
        stored(trade);
        when(requests.findByTradeId(trade.id())).thenReturn(Optional.empty());
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(reserved));

        service.cancel(cancel(OWNER_ACTOR));

        verify(quota).release("res-1");
        verify(requests, never()).save(any());
        verifyNoInteractions(approval, notifier);
        assertEquals(List.of("begin", "trades.save", "portfolios.save",
                "outbox.append quota.release {reservationId=res-1}", "commit", "quota.release",
                "publish trade:update", "publish portfolio:update"), journal.entries());
    }

    @Test
    void anInProcessQuotaGetsItsReservationBackRightAfterCommitWithoutAnOutboxRow() {
        stored(trade);
        when(requests.findByTradeId(trade.id())).thenReturn(Optional.empty());
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(reserved));
        when(quota.inProcess()).thenReturn(true);

        service.cancel(cancel(OWNER_ACTOR));

        verify(quota).release("res-1");
        verifyNoInteractions(outbox);
        assertEquals(List.of("begin", "trades.save", "portfolios.save", "commit", "quota.release",
                "publish trade:update", "publish portfolio:update"), journal.entries());
    }

    @Test
    void anUnknownTradeIsNotFound() {
        when(trades.findById(TradeId.of("trade-1"))).thenReturn(Optional.empty());

        assertEquals(new NotFound(), service.cancel(cancel(OWNER_ACTOR)));
        verifyNothingWritten();
        verifyNoInteractions(agents, requests);
    }

    @Test
    void anotherTradersTradeIsNotFound() {
        stored(trade);

        assertEquals(new NotFound(), service.cancel(cancel(STRANGER_ACTOR)));
        verifyNothingWritten();
        verifyNoInteractions(requests);
    }

    @Test
    void aFinalTradeIsAConflictAndNothingIsReleased() {
        Trade executed = trade.execute(NOW);
        stored(executed);

        assertEquals(new Conflict(TradeStatus.EXECUTED), service.cancel(cancel(OWNER_ACTOR)));
        verifyNothingWritten();
        verifyNoInteractions(requests);
    }

    @Test
    void aReasonLongerThanTheLimitIsInvalid() {
        ValidationException e = assertThrows(ValidationException.class, () -> new CancelTradeCommand(OWNER_ACTOR,
                trade.id(), Optional.of("x".repeat(Trade.MAX_REASON_LENGTH + 1))));

        assertEquals(List.of("reason"), e.errors().stream().map(FieldError::field).toList());
    }

    // ---- the oversight authority records the cancellation first (ApprovalPort.settle) ----

    @Test
    void whenTheAuthorityApprovedFirstTheTradeExecutesAndTheCancelIsAConflict() {
        waitingWithRequest();
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        OversightRequest approvedElsewhere = request.approve(UserId.of("approver-2"), Optional.empty(),
                NOW.minusSeconds(30));
        doAnswer(journal.settlesAs(approvedElsewhere)).when(approval).settle(any(), any());

        CancelTradeResult result = service.cancel(cancel(OWNER_ACTOR));

        assertEquals(new Conflict(TradeStatus.EXECUTED), result);
        Trade executed = trade.execute(NOW);
        // asked first, before anything is written here; then the authority's approval is applied
        InOrder order = inOrder(approval, tx, trades, quota);
        order.verify(approval).settle(request.cancel("cancelled by owner-1", NOW), trade);
        order.verify(tx).inTransaction(any());
        order.verify(trades).save(executed);
        order.verify(quota).complete("res-1");
        verify(portfolios).save(reserved.apply(executed));
        verify(requests).save(approvedElsewhere);
        verify(ledger).append(UsageRecord.tradeExecuted(executed, NOW));
        verify(quota, never()).release(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approvedElsewhere), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(approvedElsewhere, executed));
        assertEquals(List.of("approval.settle cancelled", "begin", "trades.save", "portfolios.save",
                "requests.save",
                "outbox.append quota.complete {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.complete", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish portfolio:update", "publish oversight:decided"), journal.entries());
    }

    @Test
    void whenTheAuthorityRejectedFirstTheTradeIsRejectedAndTheCancelIsAConflict() {
        waitingWithRequest();
        OversightRequest rejectedElsewhere = request.reject(UserId.of("approver-2"), "too risky", NOW.minusSeconds(30));
        doAnswer(journal.settlesAs(rejectedElsewhere)).when(approval).settle(any(), any());

        assertEquals(new Conflict(TradeStatus.REJECTED), service.cancel(cancel(OWNER_ACTOR)));

        verify(trades).save(trade.reject("rejected by approver: too risky", NOW));
        verify(requests).save(rejectedElsewhere);
        verify(portfolios).save(portfolio());
        verify(quota).release("res-1");
        verify(quota, never()).complete(any());
        verifyNoInteractions(ledger);
    }

    @Test
    void whenTheAuthorityIsUnavailableNothingChanges() {
        stored(trade);
        when(requests.findByTradeId(trade.id())).thenReturn(Optional.of(request));
        doThrow(new OversightUnavailableException("oversight did not answer", Duration.ofSeconds(3), null))
                .when(approval).settle(any(), any());

        CancelTradeResult result = service.cancel(cancel(OWNER_ACTOR));

        assertEquals(new OversightUnavailable(Duration.ofSeconds(3)), result);
        verify(approval).settle(request.cancel("cancelled by owner-1", NOW), trade);
        verifyNoMoreInteractions(approval);
        verifyNoInteractions(tx, quota, events, notifier, outbox, ledger, alerts);
        verify(portfolios, never()).save(any());
        verify(trades, never()).save(any());
        verify(requests, never()).save(any());
        assertEquals(List.of(), journal.entries());
    }
}
