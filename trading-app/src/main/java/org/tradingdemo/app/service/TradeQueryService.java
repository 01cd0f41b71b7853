package org.tradingdemo.app.service;

import java.util.Optional;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.GetPortfolioUseCase;
import org.tradingdemo.app.port.in.GetTradeUseCase;
import org.tradingdemo.app.port.in.ListTradesUseCase;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.MarketDataPort;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.TradeRepository;

/** Reads of trades and portfolios, scoped to the agents the actor may see. */
public final class TradeQueryService implements GetTradeUseCase, ListTradesUseCase, GetPortfolioUseCase {

    private final AgentRepository agents;
    private final TradeRepository trades;
    private final PortfolioRepository portfolios;
    private final MarketDataPort marketData;

    public TradeQueryService(AgentRepository agents, TradeRepository trades, PortfolioRepository portfolios,
                             MarketDataPort marketData) {
        this.agents = agents;
        this.trades = trades;
        this.portfolios = portfolios;
        this.marketData = marketData;
    }

    @Override
    public Optional<Trade> get(Actor actor, TradeId tradeId) {
        return trades.findById(tradeId).filter(t -> visible(actor, t.agentId()));
    }

    @Override
    public Optional<Page<Trade>> list(ListTradesQuery q) {
        if (!visible(q.actor(), q.agentId())) {
            return Optional.empty();
        }
        return Optional.of(trades.list(new TradeRepository.TradeQuery(q.agentId(), q.status(), q.symbol(), q.from(),
                q.to(), q.page())));
    }

    @Override
    public Optional<PortfolioValuation> get(Actor actor, AgentId agentId) {
        if (!visible(actor, agentId)) {
            return Optional.empty();
        }
        return portfolios.findByAgentId(agentId).map(p -> p.valueAt(marketData::lastPrice));
    }

    private boolean visible(Actor actor, AgentId agentId) {
        return agents.findById(agentId).filter(actor::canSee).isPresent();
    }
}
