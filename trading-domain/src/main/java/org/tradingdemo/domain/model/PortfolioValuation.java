package org.tradingdemo.domain.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * A portfolio valued at current prices. {@code totalValue = cash + Σ marketValue} (reserved cash is
 * still cash; it is only not available).
 */
public record PortfolioValuation(AgentId agentId, Money cash, Money reservedCash, Money availableCash,
                                 List<PositionValue> positions, Money realizedPnL, Money unrealizedPnL,
                                 Money totalValue) {

    public PortfolioValuation {
        positions = List.copyOf(positions);
    }

    public record PositionValue(Symbol symbol, Quantity quantity, BigDecimal averagePrice, Price currentPrice,
                                Money marketValue, Money unrealizedPnL) {
    }
}
