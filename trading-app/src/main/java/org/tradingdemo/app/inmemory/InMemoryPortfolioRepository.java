package org.tradingdemo.app.inmemory;

import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.port.PortfolioRepository;

/** One immutable portfolio snapshot per agent; a trade replaces it within the trade's unit of work. */
public final class InMemoryPortfolioRepository implements PortfolioRepository {

    private final InMemoryTable<AgentId, Portfolio> portfolios;

    public InMemoryPortfolioRepository(InMemoryTransactions transactions) {
        this.portfolios = new InMemoryTable<>(transactions, "portfolios");
    }

    @Override
    public void save(Portfolio portfolio) {
        portfolios.put(portfolio.agentId(), portfolio);
    }

    @Override
    public Optional<Portfolio> findByAgentId(AgentId agentId) {
        return portfolios.get(agentId);
    }
}
