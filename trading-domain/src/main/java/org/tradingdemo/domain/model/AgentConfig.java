package org.tradingdemo.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An agent's trading configuration.
 *
 * @param budget          starting cash and default daily quota: 1,000 to 1,000,000 USD
 * @param maxPositionSize optional cap on the cost of any one position (USD); a buy that would
 *                        lift the position's cost basis above it is HIGH risk and needs approval
 */
public record AgentConfig(Money budget, Strategy strategy, RiskTolerance riskTolerance, Optional<Money> maxPositionSize) {

    public static final Money MIN_BUDGET = Money.usd(1_000);
    public static final Money MAX_BUDGET = Money.usd(1_000_000);

    public AgentConfig {
        Objects.requireNonNull(budget, "budget is required");
        Objects.requireNonNull(strategy, "strategy is required");
        Objects.requireNonNull(riskTolerance, "riskTolerance is required");
        maxPositionSize = maxPositionSize == null ? Optional.empty() : maxPositionSize;
        requireBudget(budget);
        maxPositionSize.ifPresent(AgentConfig::requireMaxPositionSize);
    }

    /** A budget is in USD, from 1,000 to 1,000,000 inclusive. */
    public static Money requireBudget(Money budget) {
        if (!budget.currency().equals(Money.USD)) {
            throw new IllegalArgumentException("budget must be in USD");
        }
        if (budget.isLessThan(MIN_BUDGET) || budget.isGreaterThan(MAX_BUDGET)) {
            throw new IllegalArgumentException("budget must be between 1000 and 1000000");
        }
        return budget;
    }

    public static Money requireMaxPositionSize(Money max) {
        // compared with USD trade amounts by OversightPolicy; another currency would fail every later buy
        if (!max.currency().equals(Money.USD)) {
            throw new IllegalArgumentException("maxPositionSize must be in USD");
        }
        if (!max.isPositive()) {
            throw new IllegalArgumentException("maxPositionSize must be greater than 0");
        }
        return max;
    }

    public static AgentConfig of(Money budget, Strategy strategy, RiskTolerance riskTolerance) {
        return new AgentConfig(budget, strategy, riskTolerance, Optional.empty());
    }
}
