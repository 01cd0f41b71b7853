package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
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
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
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
    @Mock QuotaPort quota;
    @Mock ApprovalPort approval;
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
                events, ids, CLOCK, SETTINGS.quotaPolicy());
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
    void terminatingCancelsEveryOpenTradeInTheSameTransactionAndReleasesTheirQuotaAfterCommit() {
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
        // inside the transaction each closing reads what the previous one wrote
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
        verify(approval).reportDecision(firstRequest.cancel("agent terminated", NOW));
        verify(approval).reportDecision(secondRequest.cancel("agent terminated", NOW));
        verify(notifier).send(new Notification.DecisionMade(firstRequest.cancel("agent terminated", NOW), firstCancelled));
        verify(notifier).send(new Notification.DecisionMade(secondRequest.cancel("agent terminated", NOW), secondCancelled));
        // every closing's effects are outbox rows of the one transaction; after commit they are delivered
        // closing by closing (release, report, message), then the events go out
        assertEquals(List.of("begin",
                "agents.save",
                "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-1}",
                "outbox.append approval.report {requestId=req-1}",
                "outbox.append notify.decision {requestId=req-1}",
                "trades.save", "portfolios.save", "requests.save",
                "outbox.append quota.release {reservationId=res-2}",
                "outbox.append approval.report {requestId=req-2}",
                "outbox.append notify.decision {requestId=req-2}",
                "commit",
                "publish agent:update",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "quota.release", "approval.reportDecision", "notify DecisionMade",
                "publish trade:update", "publish oversight:decided",
                "publish trade:update", "publish oversight:decided",
                "publish portfolio:update"), journal.entries());
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
}
