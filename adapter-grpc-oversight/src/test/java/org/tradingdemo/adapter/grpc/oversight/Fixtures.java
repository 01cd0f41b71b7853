package org.tradingdemo.adapter.grpc.oversight;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.proto.oversight.v1.SubmitRequestRequest;

/** Domain objects and contract messages for the tests; ids are unique per call. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    static final String OWNER = "owner-1";
    static final Duration TTL = Duration.ofMinutes(30);

    private Fixtures() {
    }

    static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Agent agent(String owner) {
        return Agent.create(AgentId.of(uid("agent")), "Alpha",
                AgentConfig.of(Money.usd(100_000), Strategy.BALANCED, RiskTolerance.MEDIUM), UserId.of(owner), T0);
    }

    static Agent agent(Money budget, Strategy strategy, RiskTolerance tolerance, Optional<Money> maxPosition) {
        return new Agent(AgentId.of(uid("agent")), "Beta", org.tradingdemo.domain.model.AgentStatus.ACTIVE,
                new AgentConfig(budget, strategy, tolerance, maxPosition), UserId.of(OWNER), T0, T0);
    }

    static Trade trade(Agent agent, Side side, String quantity, String price) {
        return Trade.submit(TradeId.of(uid("trade")), agent.id(), Optional.empty(), Symbol.of("AAPL"), side,
                Quantity.of(quantity), Price.of(price), OrderType.LIMIT, T0);
    }

    static Portfolio portfolio(Agent agent) {
        return Portfolio.open(agent.id(), agent.config().budget());
    }

    /** A pending request opened at {@code now}, expiring {@link #TTL} later. */
    static OversightRequest pending(Trade trade, Instant now) {
        return OversightRequest.open(OversightRequestId.of(uid("req")), trade,
                new RiskAssessment(RiskLevel.MEDIUM, true, List.of("amount exceeds the approval threshold")), now, TTL);
    }

    /** A SubmitRequest for a big buy of an agent owned by {@link #OWNER}, expiring at {@code expiresAt}. */
    static SubmitRequestRequest submit(String requestId, Instant expiresAt) {
        Agent agent = agent(OWNER);
        Trade trade = trade(agent, Side.BUY, "400", "150");
        return SubmitRequestRequest.newBuilder()
                .setRequestId(requestId)
                .setTrade(ProtoMapping.tradeDetails(trade))
                .setReason("amount exceeds the approval threshold")
                .setRiskLevel(org.tradingdemo.proto.oversight.v1.RiskLevel.RISK_LEVEL_MEDIUM)
                .setExpiresAt(ProtoMapping.timestamp(expiresAt))
                .setOwnerUserId(OWNER)
                .build();
    }
}
