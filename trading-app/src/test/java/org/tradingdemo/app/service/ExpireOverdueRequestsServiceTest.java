package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.APPROVER;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.SETTINGS;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.awaitingApproval;
import static org.tradingdemo.app.service.ServiceTestData.overdueRequest;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.portfolio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Trade;
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
class ExpireOverdueRequestsServiceTest {

    @Mock OversightRequestRepository requests;
    @Mock TradeRepository trades;
    @Mock PortfolioRepository portfolios;
    @Mock UsageLedger ledger;
    @Mock AlertRepository alerts;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) QuotaPort quota;
    @Mock(answer = org.mockito.Answers.CALLS_REAL_METHODS) ApprovalPort approval;
    @Mock EventPublisher events;
    @Mock NotificationPort notifier;
    @Mock AgentRepository agents;
    @Mock Outbox outbox;
    @Mock IdGenerator ids;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private ExpireOverdueRequestsService service;

    private final Trade trade = awaitingApproval("trade-1", "10", "150", "res-1");
    private final OversightRequest overdue = overdueRequest("req-1", trade);

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        OutboxRelay relay = new OutboxRelay(outbox, tx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), CLOCK);
        TradeSettlement settlement = new TradeSettlement(tx, trades, portfolios, requests, ledger, alerts, relay,
                approval, events, ids, CLOCK, SETTINGS.quotaPolicy());
        service = new ExpireOverdueRequestsService(requests, trades, agents, settlement, new AgentLocks(), CLOCK);
        journal.watch(trades, portfolios, requests, quota, approval, events, notifier, outbox);
    }

    /** {@code n} overdue requests, each for its own trade. */
    private static List<OversightRequest> overdueRequests(int from, int n) {
        List<OversightRequest> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(overdueRequest("req-" + i, awaitingApproval("trade-" + i, "1", "100", "res-" + i)));
        }
        return out;
    }

    @Test
    void anOverdueRequestExpiresItsTradeIsCancelledAndItsReservationsReleased() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of(overdue));
        // as stored, then as saved (the relay reads them after commit)
        when(requests.findById(overdue.id())).thenAnswer(journal.savedOr(overdue));
        when(trades.findById(trade.id())).thenAnswer(journal.savedOr(trade));
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio().reserve(trade)));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));

        int expired = service.expireOverdue();

        assertEquals(1, expired);
        verify(requests).save(overdue.expire(NOW));
        verify(trades).save(trade.cancel("approval expired", NOW));
        verify(portfolios).save(portfolio());
        verify(quota).release("res-1");
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(overdue.expire(NOW)), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(overdue.expire(NOW), trade.cancel("approval expired", NOW)));
        verify(approval).settle(overdue.expire(NOW), trade);
        // the expiry is recorded at the oversight authority first; then the three effects are outbox
        // rows of the transaction, delivered in order right after commit (the message to humans now
        // goes out with them, before the events)
        assertEquals(List.of("approval.settle expired", "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update"), journal.entries());
    }

    @Test
    void aRequestDecidedSinceTheBatchWasReadIsSkipped() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of(overdue));
        // re-read under the lock: an approver got there first
        OversightRequest approved = pendingRequest("req-1", trade).approve(APPROVER, Optional.empty(), NOW.minusSeconds(60));
        when(requests.findById(overdue.id())).thenReturn(Optional.of(approved));

        assertEquals(0, service.expireOverdue());

        verify(requests, never()).save(any());
        verifyNoInteractions(trades, portfolios, tx, quota, approval, events, notifier, outbox);
    }

    @Test
    void aRequestThatVanishedIsSkipped() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of(overdue));
        when(requests.findById(overdue.id())).thenReturn(Optional.empty());

        assertEquals(0, service.expireOverdue());

        verify(requests, never()).save(any());
        verifyNoInteractions(trades, tx, quota);
    }

    @Test
    void whenTheTradeIsNoLongerOpenOnlyTheRequestExpires() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of(overdue));
        when(requests.findById(overdue.id())).thenReturn(Optional.of(overdue));
        when(trades.findById(trade.id())).thenReturn(Optional.of(trade.cancel("by owner", NOW.minusSeconds(5))));

        assertEquals(1, service.expireOverdue());

        verify(requests).save(overdue.expire(NOW));
        verify(trades, never()).save(any());
        verifyNoInteractions(portfolios, tx, quota, outbox);
    }

    @Test
    void worksThroughFullBatchesUntilAShortOne() {
        List<OversightRequest> first = overdueRequests(0, ExpireOverdueRequestsService.BATCH);
        List<OversightRequest> second = overdueRequests(ExpireOverdueRequestsService.BATCH, 1);
        Map<OversightRequestId, OversightRequest> byId = new HashMap<>();
        first.forEach(r -> byId.put(r.id(), r));
        second.forEach(r -> byId.put(r.id(), r));
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(first, second);
        when(requests.findById(any())).thenAnswer(inv -> Optional.ofNullable(byId.get(inv.getArgument(0))));
        when(trades.findById(any())).thenReturn(Optional.empty());

        assertEquals(ExpireOverdueRequestsService.BATCH + 1, service.expireOverdue());

        verify(requests, times(2)).findOverdue(NOW, ExpireOverdueRequestsService.BATCH);
        verify(requests, times(ExpireOverdueRequestsService.BATCH + 1)).save(any());
    }

    @Test
    void aFullBatchThatExpiresNothingEndsTheRunInsteadOfLooping() {
        List<OversightRequest> stuck = overdueRequests(0, ExpireOverdueRequestsService.BATCH);
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(stuck);
        when(requests.findById(any())).thenReturn(Optional.empty());

        assertEquals(0, service.expireOverdue());

        verify(requests, times(1)).findOverdue(NOW, ExpireOverdueRequestsService.BATCH);
    }

    @Test
    void nothingOverdueDoesNothing() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of());

        assertEquals(0, service.expireOverdue());

        verify(requests, never()).save(any());
        verifyNoInteractions(trades, tx, quota, events, outbox);
    }

    // ---- the oversight authority records the expiry first (ApprovalPort.settle) ----

    /** The overdue request and its trade as stored, then as saved; the agent exists. */
    private void overdueStored() {
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(List.of(overdue));
        when(requests.findById(overdue.id())).thenAnswer(journal.savedOr(overdue));
        when(trades.findById(trade.id())).thenAnswer(journal.savedOr(trade));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
    }

    @Test
    void whenTheAuthorityApprovedJustBeforeTheDeadlineTheTradeExecutesInstead() {
        overdueStored();
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio().reserve(trade)));
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        OversightRequest approvedInTime = overdue.approve(UserId.of("approver-2"), Optional.empty(),
                overdue.expiresAt().minusSeconds(1));
        doAnswer(journal.settlesAs(approvedInTime)).when(approval).settle(any(), any());

        service.expireOverdue();

        Trade executed = trade.execute(NOW);
        InOrder order = inOrder(approval, tx, trades, quota);
        order.verify(approval).settle(overdue.expire(NOW), trade);
        order.verify(tx).inTransaction(any());
        order.verify(trades).save(executed);
        order.verify(quota).complete("res-1");
        verify(requests).save(approvedInTime);
        verify(requests, never()).save(overdue.expire(NOW));
        verify(portfolios).save(portfolio().reserve(trade).apply(executed));
        verify(ledger).append(UsageRecord.tradeExecuted(executed, NOW));
        verify(quota, never()).release(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approvedInTime), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(approvedInTime, executed));
    }

    @Test
    void whenTheAuthorityIsUnavailableNothingChangesAndTheNextRunRetries() {
        overdueStored();
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio().reserve(trade)));
        doThrow(new OversightUnavailableException("oversight did not answer", Duration.ofSeconds(5), null))
                .doAnswer(journal.settlesAsWanted())
                .when(approval).settle(any(), any());

        assertEquals(0, service.expireOverdue(), "nothing expired in the run that could not ask the authority");

        verify(approval).settle(overdue.expire(NOW), trade);
        verify(requests, never()).save(any());
        verify(trades, never()).save(any());
        verifyNoInteractions(tx, portfolios, quota, events, notifier, outbox, ledger);
        assertEquals(List.of(), journal.entries());

        // the request is still pending and overdue, so the next run picks it up again
        assertEquals(1, service.expireOverdue());

        verify(requests).save(overdue.expire(NOW));
        verify(trades).save(trade.cancel("approval expired", NOW));
        verify(portfolios).save(portfolio());
        verify(quota).release("res-1");
        assertEquals(List.of("approval.settle expired", "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}", "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update"), journal.entries());
    }

    @Test
    void anUnavailableAuthorityDoesNotStopTheOtherRequestsOfTheRun() {
        List<OversightRequest> two = overdueRequests(0, 2);
        Map<OversightRequestId, OversightRequest> byId = new HashMap<>();
        two.forEach(r -> byId.put(r.id(), r));
        when(requests.findOverdue(NOW, ExpireOverdueRequestsService.BATCH)).thenReturn(two);
        when(requests.findById(any())).thenAnswer(inv -> Optional.ofNullable(byId.get(inv.getArgument(0))));
        Trade t0 = awaitingApproval("trade-0", "1", "100", "res-0");
        Trade t1 = awaitingApproval("trade-1", "1", "100", "res-1");
        when(trades.findById(any())).thenAnswer(inv -> Optional.of(inv.getArgument(0).equals(t0.id()) ? t0 : t1));
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent()));
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio().reserve(t1)));
        doThrow(new OversightUnavailableException("oversight did not answer", Duration.ofSeconds(5), null))
                .doAnswer(inv -> inv.getArgument(0))
                .when(approval).settle(any(), any());

        assertEquals(1, service.expireOverdue());

        verify(requests, never()).save(two.get(0).expire(NOW));
        verify(requests).save(two.get(1).expire(NOW));
        verify(trades).save(t1.cancel("approval expired", NOW));
        verify(trades, never()).save(t0.cancel("approval expired", NOW));
    }
}
