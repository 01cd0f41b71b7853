package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.BUDGET;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;
import static org.tradingdemo.app.service.ServiceTestData.OWNER;
import static org.tradingdemo.app.service.ServiceTestData.OWNER_ACTOR;
import static org.tradingdemo.app.service.ServiceTestData.SUPERVISOR;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.domain.event.AgentUpdated;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.UsageLedger;

@ExtendWith(MockitoExtension.class)
class CreateAgentServiceTest {

    private static final AgentConfig CONFIG = AgentConfig.of(BUDGET, Strategy.AGGRESSIVE, RiskTolerance.HIGH);

    @Mock AgentRepository agents;
    @Mock PortfolioRepository portfolios;
    @Mock UsageLedger ledger;
    @Mock EventPublisher events;
    @Mock IdGenerator ids;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private CreateAgentService service;

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        // no notifier and no outbox: creating an agent tells nobody outside the process
        service = new CreateAgentService(agents, portfolios, ledger, tx, events, ids, CLOCK);
        journal.watch(agents, portfolios, ledger, events);
    }

    @Test
    void createsTheAgentItsPortfolioAndItsUsageRecordInOneTransactionThenPublishes() {
        when(ids.newId()).thenReturn("agent-9");

        Agent created = service.create(new CreateAgentCommand(OWNER_ACTOR, "  Alpha  ", CONFIG));

        Agent expected = Agent.create(AgentId.of("agent-9"), "Alpha", CONFIG, OWNER, NOW);
        Portfolio portfolio = Portfolio.open(AgentId.of("agent-9"), BUDGET);
        assertEquals(expected, created);
        assertEquals(AgentStatus.ACTIVE, created.status());
        assertEquals(BUDGET, portfolio.cash());
        verify(agents).save(expected);
        verify(portfolios).save(portfolio);
        verify(ledger).append(UsageRecord.agentCreated(expected));
        assertEquals(List.of("begin", "agents.save", "portfolios.save", "ledger.append", "commit",
                "publish agent:update", "publish portfolio:update"), journal.entries());
        InOrder order = inOrder(tx, events);
        order.verify(tx).inTransaction(any());
        order.verify(events).publish(new AgentUpdated(expected, NOW));
        order.verify(events).publish(new PortfolioUpdated(portfolio, NOW));
    }

    @Test
    void theCallerOwnsTheAgentWhoeverTheyAre() {
        when(ids.newId()).thenReturn("agent-9");

        Agent created = service.create(new CreateAgentCommand(SUPERVISOR, "Beta", CONFIG));

        assertEquals(SUPERVISOR.userId(), created.userId());
    }

    @Test
    void aFailedWriteRollsBackAndPublishesNothing() {
        when(ids.newId()).thenReturn("agent-9");
        IllegalStateException failure = new IllegalStateException("disk full");
        doThrow(failure).when(ledger).append(any());

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> service.create(new CreateAgentCommand(OWNER_ACTOR, "Alpha", CONFIG)));

        assertSame(failure, thrown);
        assertEquals(List.of("begin", "agents.save", "portfolios.save", "rollback"), journal.entries());
        verifyNoInteractions(events);
    }
}
