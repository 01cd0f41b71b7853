package org.tradingdemo.domain.port;

import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Portfolio;

/** Stores one portfolio per agent, with its positions and reservations. */
public interface PortfolioRepository {

    /** Inserts or replaces the agent's portfolio. */
    void save(Portfolio portfolio);

    Optional<Portfolio> findByAgentId(AgentId agentId);
}
