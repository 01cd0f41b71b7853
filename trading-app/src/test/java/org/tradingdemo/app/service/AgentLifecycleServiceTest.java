package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.inmemory.SequentialIdGenerator;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.AgentCommand;
import org.tradingdemo.app.port.in.AgentStatusResult;
import org.tradingdemo.app.port.in.AgentStatusResult.Changed;
import org.tradingdemo.app.port.in.AgentStatusResult.Conflict;
import org.tradingdemo.app.port.in.AgentStatusResult.NotFound;
import org.tradingdemo.domain.event.AgentUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Portfolio;
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
class AgentLifecycleServiceTest {

    private static final Instant EARLIER = NOW.minus(Duration.ofHours(1));

    @Mock AgentRepository agents;
    @Mock TradeRepository trades;
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
    private AgentLifecycleService service;

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        OutboxRelay relay = new OutboxRelay(outbox, tx, quota, approval, notifier, trades, requests, agents, alerts,
                new SequentialIdGenerator("msg"), CLOCK);
        TradeSettlement settlement = new TradeSettlement(tx, trades, portfolios, requests, ledger, alerts, relay,
                approval, events, ids, CLOCK, SETTINGS.quotaPolicy());
        service = new AgentLifecycleService(agents, trades, requests, tx, settlement, events, new AgentLocks(), CLOCK);
        journal.watch(agents, trades, portfolios, requests, quota, approval, events, notifier, outbox);
    }

    private static AgentCommand command(Actor actor) {
        return new AgentCommand(actor, AGENT_ID);
    }

    private void stored(Agent agent) {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.of(agent));
    }

    private static Agent agentIn(AgentStatus status) {
        return switch (status) {
            case ACTIVE -> agent();
            case SUSPENDED -> agent().suspend(EARLIER);
            case TERMINATED -> agent().terminate(EARLIER);
        };
    }

    private Function<AgentCommand, AgentStatusResult> move(String name) {
        return switch (name) {
            case "suspend" -> service::suspend;
            case "resume" -> service::resume;
            case "terminate" -> service::terminate;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void suspendingAnActiveAgentSavesItInATransactionThenPublishes() {
        stored(agent());

        AgentStatusResult result = service.suspend(command(OWNER_ACTOR));

        Agent suspended = agent().suspend(NOW);
        assertEquals(new Changed(suspended, List.of()), result);
        verify(agents).save(suspended);
        verify(events).publish(new AgentUpdated(suspended, NOW));
        assertEquals(List.of("begin", "agents.save", "commit", "publish agent:update"), journal.entries());
        verify(trades, never()).findOpen(any());
        verifyNoInteractions(quota, portfolios, requests, approval, notifier, outbox);
    }

    @Test
    void resumingASuspendedAgentMakesItActive() {
        stored(agentIn(AgentStatus.SUSPENDED));

        AgentStatusResult result = service.resume(command(OWNER_ACTOR));

        Agent resumed = agentIn(AgentStatus.SUSPENDED).resume(NOW);
        assertEquals(new Changed(resumed, List.of()), result);
        assertEquals(AgentStatus.ACTIVE, resumed.status());
        verify(agents).save(resumed);
        verify(events).publish(new AgentUpdated(resumed, NOW));
    }

    @Test
    void aSupervisorMaySuspendAnyAgent() {
        stored(agent());

        assertEquals(new Changed(agent().suspend(NOW), List.of()), service.suspend(command(SUPERVISOR)));
    }

    @ParameterizedTest(name = "{0} → terminated")
    @CsvSource({"ACTIVE", "SUSPENDED"})
    void terminatingWithoutOpenTradesOnlyChangesTheStatus(AgentStatus from) {
        stored(agentIn(from));
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of());

        AgentStatusResult result = service.terminate(command(OWNER_ACTOR));

        Agent terminated = agentIn(from).terminate(NOW);
        assertEquals(new Changed(terminated, List.of()), result);
        assertEquals(List.of("begin", "agents.save", "commit", "publish agent:update"), journal.entries());
        verifyNoInteractions(quota, portfolios, requests, approval, notifier, outbox);
    }

    @ParameterizedTest(name = "{0} agent may not {1}")
    @CsvSource({
            "ACTIVE, resume, active",
            "SUSPENDED, suspend, suspended",
            "TERMINATED, suspend, suspended",
            "TERMINATED, resume, active",
            "TERMINATED, terminate, terminated"})
    void anIllegalMoveIsAConflictAndChangesNothing(AgentStatus from, String moveName, String target) {
        stored(agentIn(from));

        AgentStatusResult result = move(moveName).apply(command(OWNER_ACTOR));

        assertEquals(new Conflict(from, "agent is " + from.wireName() + " and cannot become " + target), result);
        verify(agents, never()).save(any());
        verifyNoInteractions(tx, events, quota, trades, requests, portfolios, outbox);
    }

    @Test
    void terminatingCancelsEveryOpenTradeAtTheAuthorityFirstAndReleasesTheirQuotaAfterCommit() {
        Trade first = awaitingApproval("trade-1", "10", "150", "res-1");
        Trade second = awaitingApproval("trade-2", "5", "100", "res-2");
        OversightRequest firstRequest = pendingRequest("req-1", first);
        OversightRequest secondRequest = pendingRequest("req-2", second);
        Portfolio bothReserved = portfolio().reserve(first).reserve(second);
        Portfolio secondReserved = bothReserved.release(first.id());
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(first, second));
        when(requests.findByTradeId(first.id())).thenReturn(Optional.of(firstRequest));
        when(requests.findByTradeId(second.id())).thenReturn(Optional.of(secondRequest));
        // each closing reads what the previous one committed
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(bothReserved), Optional.of(secondReserved));
        // after commit the relay reads the closed trades and requests
        when(trades.findById(any())).thenAnswer(journal.saved());
        when(requests.findById(any())).thenAnswer(journal.saved());

        AgentStatusResult result = service.terminate(command(OWNER_ACTOR));

        Agent terminated = agent().terminate(NOW);
        Trade firstCancelled = first.cancel("agent terminated", NOW);
        Trade secondCancelled = second.cancel("agent terminated", NOW);
        assertEquals(new Changed(terminated, List.of(firstCancelled, secondCancelled)), result);
        verify(agents).save(terminated);
        verify(trades).save(firstCancelled);
        verify(trades).save(secondCancelled);
        verify(requests).save(firstRequest.cancel("agent terminated", NOW));
        verify(requests).save(secondRequest.cancel("agent terminated", NOW));
        verify(portfolios).save(secondReserved);
        verify(portfolios).save(portfolio());
        verify(quota).release("res-1");
        verify(quota).release("res-2");
        verify(quota, never()).complete(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(firstRequest.cancel("agent terminated", NOW)), org.mockito.ArgumentMatchers.any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(secondRequest.cancel("agent terminated", NOW)), org.mockito.ArgumentMatchers.any());
        verify(notifier).send(new Notification.DecisionMade(firstRequest.cancel("agent terminated", NOW), firstCancelled));
        verify(notifier).send(new Notification.DecisionMade(secondRequest.cancel("agent terminated", NOW), secondCancelled));
        verify(approval).settle(firstRequest.cancel("agent terminated", NOW), first);
        verify(approval).settle(secondRequest.cancel("agent terminated", NOW), second);
        // each pending request is cancelled at the oversight authority first, then closed here in its own
        // transaction (effects as outbox rows, delivered right after commit, then the events); the status
        // change commits last, once every open trade has ended
        assertEquals(List.of(
                "approval.settle cancelled",
                "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}",
                "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update",
                "approval.settle cancelled",
                "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-2}",
                "outbox.append approval.report {requestId=req-2}",
                "outbox.append notify.decision {requestId=req-2}",
                "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update",
                "begin", "agents.save", "commit",
                "publish agent:update"), journal.entries());
        verify(outbox, never()).save(any());
    }

    @Test
    void aFailureWhileTerminatingRollsBackAndReleasesNothing() {
        Trade open = awaitingApproval("trade-1", "10", "150", "res-1");
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(open));
        when(requests.findByTradeId(open.id())).thenReturn(Optional.empty());
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(portfolio().reserve(open)));
        IllegalStateException failure = new IllegalStateException("database is locked");
        doThrow(failure).when(trades).save(any());

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> service.terminate(command(OWNER_ACTOR)));

        assertSame(failure, thrown);
        assertEquals(List.of("begin", "agents.save", "rollback"), journal.entries());
        verifyNoInteractions(quota, events, notifier, approval, outbox);
    }

    @ParameterizedTest(name = "{0} by another trader")
    @CsvSource({"suspend", "resume", "terminate"})
    void anotherTradersAgentIsNotFound(String moveName) {
        stored(agent());

        assertEquals(new NotFound(), move(moveName).apply(command(STRANGER_ACTOR)));
        verify(agents, never()).save(any());
        verifyNoInteractions(tx, events, trades, quota, outbox);
    }

    @Test
    void anUnknownAgentIsNotFound() {
        when(agents.findById(AGENT_ID)).thenReturn(Optional.empty());

        assertEquals(new NotFound(), service.terminate(command(SUPERVISOR)));
        verifyNoInteractions(tx, events, trades, quota, outbox);
    }

    // ---- pending requests are cancelled at the oversight authority first (ApprovalPort.settle) ----

    @Test
    void whenTheAuthorityApprovedAPendingTradeFirstThatTradeExecutesAndTheAgentIsStillTerminated() {
        Trade waiting = awaitingApproval("trade-1", "10", "150", "res-1");
        OversightRequest pending = pendingRequest("req-1", waiting);
        Portfolio reserved = portfolio().reserve(waiting);
        OversightRequest approvedElsewhere = pending.approve(UserId.of("approver-2"), Optional.empty(),
                NOW.minusSeconds(30));
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(waiting));
        when(requests.findByTradeId(waiting.id())).thenReturn(Optional.of(pending));
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(reserved));
        when(ledger.totals(any(), any(), any())).thenReturn(UsageTotals.empty());
        when(trades.findById(any())).thenAnswer(journal.saved());
        when(requests.findById(any())).thenAnswer(journal.saved());
        doAnswer(journal.settlesAs(approvedElsewhere)).when(approval).settle(any(), any());

        AgentStatusResult result = service.terminate(command(OWNER_ACTOR));

        Agent terminated = agent().terminate(NOW);
        Trade executed = waiting.execute(NOW);
        assertEquals(new Changed(terminated, List.of(executed)), result);
        InOrder order = inOrder(approval, trades, agents);
        order.verify(approval).settle(pending.cancel("agent terminated", NOW), waiting);
        order.verify(trades).save(executed);
        order.verify(agents).save(terminated);
        verify(portfolios).save(reserved.apply(executed));
        verify(requests).save(approvedElsewhere);
        verify(ledger).append(UsageRecord.tradeExecuted(executed, NOW));
        verify(quota).complete("res-1");
        verify(quota, never()).release(any());
        verify(approval).reportDecision(org.mockito.ArgumentMatchers.eq(approvedElsewhere), org.mockito.ArgumentMatchers.any());
        verify(events).publish(new AgentUpdated(terminated, NOW));
        assertEquals(List.of("approval.settle cancelled",
                "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.complete {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}",
                "commit",
                "quota.complete", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish portfolio:update", "publish oversight:decided",
                "begin", "agents.save", "commit",
                "publish agent:update"), journal.entries());
    }

    @Test
    void whenTheAuthorityIsUnavailableTheAgentStaysActiveAndNothingChanges() {
        Trade waiting = awaitingApproval("trade-1", "10", "150", "res-1");
        OversightRequest pending = pendingRequest("req-1", waiting);
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(waiting));
        when(requests.findByTradeId(waiting.id())).thenReturn(Optional.of(pending));
        doThrow(new OversightUnavailableException("oversight did not answer",
                Duration.ofSeconds(6), null)).when(approval).settle(any(), any());

        AgentStatusResult result = service.terminate(command(OWNER_ACTOR));

        assertEquals(new AgentStatusResult.OversightUnavailable(Duration.ofSeconds(6)), result);
        verify(approval).settle(pending.cancel("agent terminated", NOW), waiting);
        verify(agents, never()).save(any());
        verify(trades, never()).save(any());
        verify(requests, never()).save(any());
        verifyNoInteractions(tx, portfolios, ledger, quota, events, notifier, outbox);
        assertEquals(List.of(), journal.entries());
    }

    @Test
    void anOpenTradeWithoutAPendingRequestIsCancelledInTheAgentsTransaction() {
        Trade withRequest = awaitingApproval("trade-1", "10", "150", "res-1");
        Trade withoutRequest = awaitingApproval("trade-2", "5", "100", "res-2");
        OversightRequest pending = pendingRequest("req-1", withRequest);
        Portfolio bothReserved = portfolio().reserve(withRequest).reserve(withoutRequest);
        Portfolio secondReserved = bothReserved.release(withRequest.id());
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(withRequest, withoutRequest));
        when(requests.findByTradeId(withRequest.id())).thenReturn(Optional.of(pending));
        when(requests.findByTradeId(withoutRequest.id())).thenReturn(Optional.empty());
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(bothReserved), Optional.of(secondReserved));
        when(trades.findById(any())).thenAnswer(journal.saved());
        when(requests.findById(any())).thenAnswer(journal.saved());

        AgentStatusResult result = service.terminate(command(OWNER_ACTOR));

        Agent terminated = agent().terminate(NOW);
        Trade firstCancelled = withRequest.cancel("agent terminated", NOW);
        Trade secondCancelled = withoutRequest.cancel("agent terminated", NOW);
        assertEquals(new Changed(terminated, List.of(firstCancelled, secondCancelled)), result);
        verify(approval).settle(pending.cancel("agent terminated", NOW), withRequest);
        verify(quota).release("res-1");
        verify(quota).release("res-2");
        assertEquals(List.of(
                "approval.settle cancelled",
                "begin", "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}",
                "commit",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided", "publish portfolio:update",
                // the status change and the trade without a request commit together
                "begin", "agents.save", "trades.save", "portfolios.save",
                "outbox.append quota.release {reservationId=res-2}",
                "commit",
                "publish agent:update",
                "quota.release",
                "publish trade:update", "publish portfolio:update"), journal.entries());
    }

    @Test
    void anOutageAfterSomeCancellationsLeavesTheAgentActiveAndARetryFinishesTheRest() {
        Trade first = awaitingApproval("trade-1", "10", "150", "res-1");
        Trade second = awaitingApproval("trade-2", "5", "100", "res-2");
        OversightRequest firstRequest = pendingRequest("req-1", first);
        OversightRequest secondRequest = pendingRequest("req-2", second);
        Portfolio bothReserved = portfolio().reserve(first).reserve(second);
        stored(agent());
        when(trades.findOpen(AGENT_ID)).thenReturn(List.of(first, second), List.of(second));
        when(requests.findByTradeId(first.id())).thenReturn(Optional.of(firstRequest));
        when(requests.findByTradeId(second.id())).thenReturn(Optional.of(secondRequest));
        when(portfolios.findByAgentId(AGENT_ID)).thenReturn(Optional.of(bothReserved),
                Optional.of(bothReserved.release(first.id())));
        when(trades.findById(any())).thenAnswer(journal.saved());
        when(requests.findById(any())).thenAnswer(journal.saved());
        doAnswer(journal.settlesAsWanted())
                .doThrow(new OversightUnavailableException("oversight did not answer", Duration.ofSeconds(6), null))
                .doAnswer(journal.settlesAsWanted())
                .when(approval).settle(any(), any());

        AgentStatusResult outage = service.terminate(command(OWNER_ACTOR));

        // the cancellation the authority recorded is applied here too (both sides agree); the agent is not moved
        assertEquals(new AgentStatusResult.OversightUnavailable(Duration.ofSeconds(6)), outage);
        verify(trades).save(first.cancel("agent terminated", NOW));
        verify(requests).save(firstRequest.cancel("agent terminated", NOW));
        verify(trades, never()).save(second.cancel("agent terminated", NOW));
        verify(agents, never()).save(any());

        AgentStatusResult retried = service.terminate(command(OWNER_ACTOR));

        Agent terminated = agent().terminate(NOW);
        assertEquals(new Changed(terminated, List.of(second.cancel("agent terminated", NOW))), retried);
        verify(requests).save(secondRequest.cancel("agent terminated", NOW));
        verify(agents).save(terminated);
        verify(quota).release("res-1");
        verify(quota).release("res-2");
    }
}
