package org.tradingdemo.domain.port.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.model.UserId;

/**
 * Builders for the contract tests. Every builder starts from fresh random ids, so tests that share one
 * store (a SQLite file) never see each other's rows, and from {@link #T0}, a fixed instant, so no test
 * depends on the wall clock.
 */
public final class TestData {

    /** A fixed, ordinary instant: a Friday mid-month, well away from any day or month boundary. */
    public static final Instant T0 = Instant.parse("2031-03-14T10:15:30Z");

    private TestData() {
    }

    /** {@code prefix-<uuid>}: unique, and a valid id of every kind (at most 64 characters). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static AgentId newAgentId() {
        return AgentId.of(unique("agent"));
    }

    public static UserId newUserId() {
        return UserId.of(unique("user"));
    }

    public static TradeId newTradeId() {
        return TradeId.of(unique("trade"));
    }

    public static AgentBuilder agent() {
        return new AgentBuilder();
    }

    public static TradeBuilder trade() {
        return new TradeBuilder();
    }

    public static RequestBuilder request() {
        return new RequestBuilder();
    }

    public static AlertBuilder alert() {
        return new AlertBuilder();
    }

    /** A fresh portfolio of the agent with the default budget of 100,000 USD. */
    public static Portfolio portfolio(AgentId agentId) {
        return Portfolio.open(agentId, Money.usd(100_000));
    }

    /**
     * A portfolio with something in every field: two positions (one with fractional units and an
     * awkward price), a buy and a sell reservation, and a realised gain.
     */
    public static Portfolio busyPortfolio(AgentId agentId) {
        TradeBuilder base = trade().agentId(agentId).status(TradeStatus.EXECUTED);
        Portfolio p = portfolio(agentId)
                .apply(base.id(newTradeId()).symbol("AAPL").buy("10", "150.25").build())
                .apply(base.id(newTradeId()).symbol("BTC/USD").buy("0.00012345", "64321.98765432").build())
                .apply(base.id(newTradeId()).symbol("AAPL").sell("4", "170.10").build());
        return p.reserve(trade().agentId(agentId).symbol("BRK.B").buy("3", "412.07").status(TradeStatus.PENDING_APPROVAL).build())
                .reserve(trade().agentId(agentId).symbol("AAPL").sell("2", "171").status(TradeStatus.PENDING_APPROVAL).build());
    }

    /** A usage record with a fresh event id. */
    public static UsageRecord usage(AgentId agentId, UsageType type, String amount, Instant at) {
        return new UsageRecord(unique("evt"), agentId, type, Money.usd(amount), at, Map.of());
    }

    /** A {@code trade_executed} usage record of the given volume. */
    public static UsageRecord volume(AgentId agentId, String amount, Instant at) {
        return new UsageRecord(unique("evt"), agentId, UsageType.TRADE_EXECUTED, Money.usd(amount), at,
                Map.of("tradeId", unique("trade"), "symbol", "AAPL"));
    }

    public static final class AgentBuilder {
        private AgentId id = newAgentId();
        private String name = "Momentum bot";
        private AgentStatus status = AgentStatus.ACTIVE;
        private AgentConfig config = AgentConfig.of(Money.usd(100_000), Strategy.BALANCED, RiskTolerance.MEDIUM);
        private UserId owner = newUserId();
        private Instant createdAt = T0;
        private Instant updatedAt;

        public AgentBuilder id(AgentId value) { id = value; return this; }
        public AgentBuilder name(String value) { name = value; return this; }
        public AgentBuilder status(AgentStatus value) { status = value; return this; }
        public AgentBuilder config(AgentConfig value) { config = value; return this; }
        public AgentBuilder owner(UserId value) { owner = value; return this; }
        public AgentBuilder createdAt(Instant value) { createdAt = value; return this; }
        public AgentBuilder updatedAt(Instant value) { updatedAt = value; return this; }

        public Agent build() {
            return new Agent(id, name, status, config, owner, createdAt, updatedAt == null ? createdAt : updatedAt);
        }
    }

    public static final class TradeBuilder {
        private TradeId id = newTradeId();
        private AgentId agentId = newAgentId();
        private Optional<ClientOrderId> clientOrderId = Optional.empty();
        private Symbol symbol = Symbol.of("AAPL");
        private Side side = Side.BUY;
        private Quantity quantity = Quantity.of(10);
        private Price price = Price.of(150);
        private OrderType type = OrderType.LIMIT;
        private TradeStatus status = TradeStatus.PENDING;
        private Instant submittedAt = T0;

        public TradeBuilder id(TradeId value) { id = value; return this; }
        public TradeBuilder agentId(AgentId value) { agentId = value; return this; }
        public TradeBuilder clientOrderId(String value) { clientOrderId = Optional.of(ClientOrderId.of(value)); return this; }
        public TradeBuilder symbol(String value) { symbol = Symbol.of(value); return this; }
        public TradeBuilder side(Side value) { side = value; return this; }
        public TradeBuilder quantity(String value) { quantity = Quantity.of(value); return this; }
        public TradeBuilder price(String value) { price = Price.of(value); return this; }
        public TradeBuilder type(OrderType value) { type = value; return this; }
        public TradeBuilder status(TradeStatus value) { status = value; return this; }
        public TradeBuilder submittedAt(Instant value) { submittedAt = value; return this; }

        public TradeBuilder buy(String qty, String px) { return side(Side.BUY).quantity(qty).price(px); }
        public TradeBuilder sell(String qty, String px) { return side(Side.SELL).quantity(qty).price(px); }

        /** The trade in the chosen status, with the fields that status implies (times, reason, reservation). */
        public Trade build() {
            Trade pending = new Trade(id, agentId, clientOrderId, symbol, side, quantity, price, type, TradeStatus.PENDING,
                    Trade.amountOf(quantity, price), submittedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty());
            Instant later = submittedAt.plusSeconds(1);
            return switch (status) {
                case PENDING -> pending;
                case PENDING_APPROVAL -> pending.awaitApproval("reservation-" + id.value());
                case EXECUTED -> pending.execute(later);
                case CANCELLED -> pending.cancel("cancelled by owner", later);
                case REJECTED -> pending.reject("rejected by approver", later);
                case FAILED -> pending.fail("market closed", later);
            };
        }
    }

    public static final class RequestBuilder {
        private OversightRequestId id = OversightRequestId.of(unique("req"));
        private AgentId agentId = newAgentId();
        private TradeId tradeId = newTradeId();
        private RiskLevel riskLevel = RiskLevel.HIGH;
        private OversightStatus status = OversightStatus.PENDING;
        private Instant createdAt = T0;
        private Duration ttl = Duration.ofMinutes(30);

        public RequestBuilder id(OversightRequestId value) { id = value; return this; }
        public RequestBuilder agentId(AgentId value) { agentId = value; return this; }
        public RequestBuilder tradeId(TradeId value) { tradeId = value; return this; }
        public RequestBuilder riskLevel(RiskLevel value) { riskLevel = value; return this; }
        public RequestBuilder status(OversightStatus value) { status = value; return this; }
        public RequestBuilder createdAt(Instant value) { createdAt = value; return this; }
        public RequestBuilder ttl(Duration value) { ttl = value; return this; }

        /** Sets the deadline; the request is created one hour before it. */
        public RequestBuilder expiresAt(Instant value) {
            createdAt = value.minus(Duration.ofHours(1));
            ttl = Duration.ofHours(1);
            return this;
        }

        /** The request in the chosen status, decided just before its deadline (or expired at it). */
        public OversightRequest build() {
            OversightRequest pending = new OversightRequest(id, agentId, tradeId,
                    "amount 75000.00 exceeds the approval threshold of 50000.00", riskLevel, OversightStatus.PENDING,
                    createdAt, createdAt.plus(ttl), Optional.empty(), Optional.empty(), Optional.empty());
            Instant decidedAt = pending.expiresAt().minusMillis(1);
            UserId approver = UserId.of("approver-1");
            return switch (status) {
                case PENDING -> pending;
                case APPROVED -> pending.approve(approver, Optional.of("looks fine"), decidedAt);
                case REJECTED -> pending.reject(approver, "too concentrated", decidedAt);
                case EXPIRED -> pending.expire(pending.expiresAt());
                case CANCELLED -> pending.cancel("agent terminated", decidedAt);
            };
        }
    }

    public static final class AlertBuilder {
        private AlertId id = AlertId.of(unique("alert"));
        private AlertSeverity severity = AlertSeverity.WARNING;
        private String type = "quota_warning";
        private String message = "Agent reached 80 % of its daily quota";
        private Optional<AgentId> agentId = Optional.of(newAgentId());
        private Instant createdAt = T0;
        private boolean acknowledged;

        public AlertBuilder id(AlertId value) { id = value; return this; }
        public AlertBuilder severity(AlertSeverity value) { severity = value; return this; }
        public AlertBuilder type(String value) { type = value; return this; }
        public AlertBuilder message(String value) { message = value; return this; }
        public AlertBuilder agentId(AgentId value) { agentId = Optional.of(value); return this; }
        public AlertBuilder noAgent() { agentId = Optional.empty(); return this; }
        public AlertBuilder createdAt(Instant value) { createdAt = value; return this; }
        public AlertBuilder acknowledged(boolean value) { acknowledged = value; return this; }

        public Alert build() {
            Alert raised = Alert.raise(id, severity, type, message, agentId, createdAt);
            return acknowledged ? raised.acknowledge(UserId.of("admin-1"), createdAt.plusSeconds(60)) : raised;
        }
    }
}
