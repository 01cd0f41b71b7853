package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.tradingdemo.app.port.in.CreateAgentUseCase;
import org.tradingdemo.domain.event.AgentUpdated;
import org.tradingdemo.domain.event.PortfolioUpdated;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UsageLedger;

/** Agent, its portfolio (cash = budget) and its {@code agent_created} usage record, in one transaction. */
public final class CreateAgentService implements CreateAgentUseCase {

    private final AgentRepository agents;
    private final PortfolioRepository portfolios;
    private final UsageLedger ledger;
    private final Transactions tx;
    private final IdGenerator ids;
    private final Clock clock;
    private final AfterCommit afterCommit;

    public CreateAgentService(AgentRepository agents, PortfolioRepository portfolios, UsageLedger ledger,
                              Transactions tx, EventPublisher events, IdGenerator ids, Clock clock) {
        this.agents = agents;
        this.portfolios = portfolios;
        this.ledger = ledger;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
        this.afterCommit = new AfterCommit(events);
    }

    @Override
    public Agent create(CreateAgentCommand command) {
        Instant now = clock.instant();
        Agent agent = Agent.create(new AgentId(ids.newId()), command.name(), command.config(),
                command.actor().userId(), now);
        Portfolio portfolio = Portfolio.open(agent.id(), command.config().budget());
        tx.run(() -> {
            agents.save(agent);
            portfolios.save(portfolio);
            ledger.append(UsageRecord.agentCreated(agent));
        });
        afterCommit.publish(List.of(new AgentUpdated(agent, now), new PortfolioUpdated(portfolio, now)));
        return agent;
    }
}
