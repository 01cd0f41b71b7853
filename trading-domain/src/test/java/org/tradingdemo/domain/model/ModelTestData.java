package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Optional;

/** Small builders shared by the model and policy unit tests. Fixed instants: no clock in tests. */
public final class ModelTestData {

    public static final Instant T0 = Instant.parse("2025-03-10T12:00:00Z");
    public static final Instant T1 = T0.plusSeconds(60);
    public static final Instant T2 = T0.plusSeconds(120);

    public static final AgentId AGENT = AgentId.of("agent-1");
    public static final AgentId OTHER_AGENT = AgentId.of("agent-2");
    public static final UserId OWNER = UserId.of("user-1");
    public static final UserId APPROVER = UserId.of("approver-1");
    public static final Symbol AAPL = Symbol.of("AAPL");
    public static final Symbol MSFT = Symbol.of("MSFT");

    private ModelTestData() {
    }

    public static AgentConfig config(String budget, Strategy strategy, RiskTolerance tolerance) {
        return AgentConfig.of(Money.usd(budget), strategy, tolerance);
    }

    public static AgentConfig config(String budget, Strategy strategy, RiskTolerance tolerance, String maxPositionSize) {
        return new AgentConfig(Money.usd(budget), strategy, tolerance, Optional.of(Money.usd(maxPositionSize)));
    }

    public static Agent agent(AgentConfig config) {
        return Agent.create(AGENT, "Alpha", config, OWNER, T0);
    }

    public static Agent agent() {
        return agent(config("10000", Strategy.BALANCED, RiskTolerance.MEDIUM));
    }

    public static Trade trade(String id, AgentId agent, Symbol symbol, Side side, String quantity, String price) {
        return Trade.submit(TradeId.of(id), agent, Optional.empty(), symbol, side, Quantity.of(quantity),
                Price.of(price), OrderType.LIMIT, T0);
    }

    public static Trade buy(String id, Symbol symbol, String quantity, String price) {
        return trade(id, AGENT, symbol, Side.BUY, quantity, price);
    }

    public static Trade sell(String id, Symbol symbol, String quantity, String price) {
        return trade(id, AGENT, symbol, Side.SELL, quantity, price);
    }

    public static Trade buy(String id, String quantity, String price) {
        return buy(id, AAPL, quantity, price);
    }

    public static Trade sell(String id, String quantity, String price) {
        return sell(id, AAPL, quantity, price);
    }
}
