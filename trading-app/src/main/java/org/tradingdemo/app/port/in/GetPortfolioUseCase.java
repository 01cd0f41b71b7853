package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.PortfolioValuation;

/** Cash, reservations and positions valued at current prices. */
public interface GetPortfolioUseCase {

    Optional<PortfolioValuation> get(Actor actor, AgentId agentId);
}
