package org.tradingdemo.app.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.model.UserId;

/**
 * Real domain objects for the use-case tests (never mocks of them), all at one fixed instant.
 * The default agent has a 100,000 USD budget: daily quota 100,000, monthly 2,200,000.
 */
public final class ServiceTestData {

    public static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final Instant DAY_START = Instant.parse("2025-03-10T00:00:00Z");
    public static final Instant DAY_END = Instant.parse("2025-03-11T00:00:00Z");
    public static final Instant MONTH_START = Instant.parse("2025-03-01T00:00:00Z");
    public static final Instant MONTH_END = Instant.parse("2025-04-01T00:00:00Z");

    public static final UserId OWNER = UserId.of("owner-1");
    public static final UserId STRANGER = UserId.of("trader-2");
    public static final UserId APPROVER = UserId.of("approver-1");
    /** The agent's owner, a trader. */
    public static final Actor OWNER_ACTOR = Actor.owner(OWNER);
    /** Another trader: must not see the owner's agent. */
    public static final Actor STRANGER_ACTOR = Actor.owner(STRANGER);
    /** An approver / admin: sees every agent, owns none of the test agents. */
    public static final Actor SUPERVISOR = Actor.supervisor(APPROVER);

    public static final AgentId AGENT_ID = AgentId.of("agent-1");
    public static final AgentId OTHER_AGENT_ID = AgentId.of("agent-2");
    public static final Symbol AAPL = Symbol.of("AAPL");
    public static final Money BUDGET = Money.usd(100_000);
    public static final QuotaLimits LIMITS = new QuotaLimits(Money.usd(100_000), Money.usd(2_200_000));
    public static final TradingSettings SETTINGS = TradingSettings.defaults();

    private ServiceTestData() {
    }

    public static Agent agent() {
        return agent(AGENT_ID, OWNER);
    }

    public static Agent agent(AgentId id, UserId owner) {
        return Agent.create(id, "Alpha", AgentConfig.of(BUDGET, Strategy.BALANCED, RiskTolerance.MEDIUM), owner,
                NOW.minus(Duration.ofDays(1)));
    }

    /** A fresh portfolio of the default agent: all budget in cash. */
    public static Portfolio portfolio() {
        return Portfolio.open(AGENT_ID, BUDGET);
    }

    public static Portfolio portfolioWithCash(String cash) {
        return Portfolio.open(AGENT_ID, Money.usd(cash));
    }

    /** A portfolio that bought {@code quantity} AAPL at {@code price} an hour ago. */
    public static Portfolio holding(String quantity, String price) {
        Trade bought = trade("bought-1", Side.BUY, quantity, price).execute(NOW.minus(Duration.ofHours(1)));
        return portfolio().apply(bought);
    }

    /** A new limit order in state {@code pending}, submitted now. */
    public static Trade trade(String id, Side side, String quantity, String price) {
        return Trade.submit(TradeId.of(id), AGENT_ID, Optional.empty(), AAPL, side, Quantity.of(quantity),
                Price.of(price), OrderType.LIMIT, NOW);
    }

    public static Trade tradeWithClientOrderId(String id, String clientOrderId, Side side, String quantity,
                                               String price) {
        return Trade.submit(TradeId.of(id), AGENT_ID, Optional.of(ClientOrderId.of(clientOrderId)), AAPL, side,
                Quantity.of(quantity), Price.of(price), OrderType.LIMIT, NOW.minus(Duration.ofMinutes(1)));
    }

    /** A buy waiting for a human, holding the metering reservation {@code reservation}. */
    public static Trade awaitingApproval(String id, String quantity, String price, String reservation) {
        return trade(id, Side.BUY, quantity, price).awaitApproval(reservation);
    }

    public static RiskAssessment needsApproval() {
        return new RiskAssessment(RiskLevel.HIGH, true, List.of("amount is more than 40 % of the budget"));
    }

    /** A pending request opened 5 minutes ago, expiring in 10. */
    public static OversightRequest pendingRequest(String id, Trade trade) {
        return OversightRequest.open(OversightRequestId.of(id), trade, needsApproval(),
                NOW.minus(Duration.ofMinutes(5)), Duration.ofMinutes(15));
    }

    /** A request still marked pending whose deadline passed 5 minutes ago. */
    public static OversightRequest overdueRequest(String id, Trade trade) {
        return OversightRequest.open(OversightRequestId.of(id), trade, needsApproval(),
                NOW.minus(Duration.ofMinutes(20)), Duration.ofMinutes(15));
    }

    public static QuotaCheck quotaCheck(boolean allowed, String used, String limit) {
        Money l = Money.usd(limit);
        Money u = Money.usd(used);
        return new QuotaCheck(allowed, UsagePeriod.DAILY, u, l.minus(u).max(Money.zero(Money.USD)), l, DAY_END);
    }

    /** Ledger totals holding {@code count} executed trades worth {@code amount} in all. */
    public static UsageTotals executed(long count, String amount) {
        return new UsageTotals(Map.of(UsageType.TRADE_EXECUTED, new UsageTotals.Total(count, Money.usd(amount))));
    }
}
