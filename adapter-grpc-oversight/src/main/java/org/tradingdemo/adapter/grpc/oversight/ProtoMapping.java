package org.tradingdemo.adapter.grpc.oversight;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Timestamp;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Position;
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
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.proto.oversight.v1.AgentProfile;
import org.tradingdemo.proto.oversight.v1.ApprovalRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;
import org.tradingdemo.proto.oversight.v1.RequestStatus;
import org.tradingdemo.proto.oversight.v1.TradeDetails;

/**
 * Domain ↔ creto.oversight.v1 messages. Money, quantities and prices travel as exact decimal strings
 * (never floating point); times as protobuf Timestamps.
 */
final class ProtoMapping {

    /** The decider recorded when the oversight service names nobody (or a name this service cannot hold). */
    static final String DEFAULT_DECIDER = "oversight-service";

    private ProtoMapping() {
    }

    // ---- time ----

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    // ---- money and levels ----

    static org.tradingdemo.proto.oversight.v1.Money money(Money money) {
        return org.tradingdemo.proto.oversight.v1.Money.newBuilder()
                .setCurrencyCode(money.currency().getCurrencyCode())
                .setAmount(money.amount().toPlainString())
                .build();
    }

    /** @throws IllegalArgumentException on a malformed amount or currency */
    static Money money(org.tradingdemo.proto.oversight.v1.Money money, String field) {
        String code = money.getCurrencyCode().isBlank() ? Money.USD.getCurrencyCode() : money.getCurrencyCode();
        try {
            return Money.of(new BigDecimal(money.getAmount().strip()), Currency.getInstance(code));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a decimal string, got '" + money.getAmount() + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    static org.tradingdemo.proto.oversight.v1.RiskLevel riskLevel(RiskLevel level) {
        return switch (level) {
            case LOW -> org.tradingdemo.proto.oversight.v1.RiskLevel.RISK_LEVEL_LOW;
            case MEDIUM -> org.tradingdemo.proto.oversight.v1.RiskLevel.RISK_LEVEL_MEDIUM;
            case HIGH -> org.tradingdemo.proto.oversight.v1.RiskLevel.RISK_LEVEL_HIGH;
        };
    }

    static org.tradingdemo.proto.oversight.v1.Side side(Side side) {
        return side == Side.BUY ? org.tradingdemo.proto.oversight.v1.Side.SIDE_BUY
                : org.tradingdemo.proto.oversight.v1.Side.SIDE_SELL;
    }

    static RequestStatus status(OversightStatus status) {
        return switch (status) {
            case PENDING -> RequestStatus.REQUEST_STATUS_PENDING;
            case APPROVED -> RequestStatus.REQUEST_STATUS_APPROVED;
            case REJECTED -> RequestStatus.REQUEST_STATUS_REJECTED;
            case EXPIRED -> RequestStatus.REQUEST_STATUS_EXPIRED;
            case CANCELLED -> RequestStatus.REQUEST_STATUS_CANCELLED;
        };
    }

    static Optional<OversightStatus> status(RequestStatus status) {
        return switch (status) {
            case REQUEST_STATUS_PENDING -> Optional.of(OversightStatus.PENDING);
            case REQUEST_STATUS_APPROVED -> Optional.of(OversightStatus.APPROVED);
            case REQUEST_STATUS_REJECTED -> Optional.of(OversightStatus.REJECTED);
            case REQUEST_STATUS_EXPIRED -> Optional.of(OversightStatus.EXPIRED);
            case REQUEST_STATUS_CANCELLED -> Optional.of(OversightStatus.CANCELLED);
            default -> Optional.empty();
        };
    }

    /** Lower-case name for messages and logs: {@code approved}. */
    static String label(RequestStatus status) {
        return status(status).map(OversightStatus::wireName).orElse("unspecified");
    }

    // ---- client side: domain → request messages ----

    static TradeDetails tradeDetails(Trade trade) {
        return TradeDetails.newBuilder()
                .setTradeId(trade.id().value())
                .setAgentId(trade.agentId().value())
                .setSymbol(trade.symbol().value())
                .setSide(side(trade.side()))
                .setQuantity(trade.quantity().value().toPlainString())
                .setPrice(trade.price().value().toPlainString())
                .setAmount(money(trade.amount()))
                .build();
    }

    static EvaluateRiskRequest evaluateRequest(Agent agent, Trade trade, Portfolio portfolio) {
        Money positionCost = portfolio.position(trade.symbol()).map(Position::costBasis)
                .orElse(Money.zero(trade.amount().currency()));
        AgentProfile.Builder profile = AgentProfile.newBuilder()
                .setAgentId(agent.id().value())
                .setOwnerUserId(agent.userId().value())
                .setBudget(money(agent.config().budget()))
                .setStrategy(agent.config().strategy().wireName())
                .setRiskTolerance(agent.config().riskTolerance().wireName())
                .setPositionCost(money(positionCost));
        agent.config().maxPositionSize().ifPresent(max -> profile.setMaxPositionSize(money(max)));
        return EvaluateRiskRequest.newBuilder().setTrade(tradeDetails(trade)).setAgent(profile).build();
    }

    /** CRITICAL (which the domain does not have) is HIGH and always needs a human; an unknown level too. */
    static RiskAssessment assessment(EvaluateRiskResponse response) {
        return switch (response.getLevel()) {
            case RISK_LEVEL_LOW -> new RiskAssessment(RiskLevel.LOW, response.getRequiresApproval(), response.getReasonsList());
            case RISK_LEVEL_MEDIUM -> new RiskAssessment(RiskLevel.MEDIUM, response.getRequiresApproval(),
                    response.getReasonsList());
            case RISK_LEVEL_HIGH -> new RiskAssessment(RiskLevel.HIGH, response.getRequiresApproval(), response.getReasonsList());
            case RISK_LEVEL_CRITICAL -> new RiskAssessment(RiskLevel.HIGH, true, response.getReasonsList());
            default -> new RiskAssessment(RiskLevel.HIGH, true, response.getReasonsCount() > 0 ? response.getReasonsList()
                    : java.util.List.of("the oversight service gave no risk level"));
        };
    }

    /**
     * The authority's closing of {@code ours}, as a domain request: our identity and deadline, its status,
     * time, decider and comment.
     */
    static OversightRequest closedAs(OversightRequest ours, ApprovalRequest theirs) {
        OversightStatus status = status(theirs.getStatus())
                .filter(OversightStatus::isFinal)
                .orElseThrow(() -> new IllegalStateException("request " + ours.id() + " is not closed at the oversight service: "
                        + theirs.getStatus()));
        Optional<Instant> at = Optional.of(theirs.hasDecidedAt() ? instant(theirs.getDecidedAt()) : ours.expiresAt());
        Optional<UserId> by = theirs.getDecidedBy().isBlank() ? Optional.empty() : Optional.of(userId(theirs.getDecidedBy()));
        Optional<String> comment = theirs.getComment().isBlank() ? Optional.empty() : Optional.of(clip(theirs.getComment()));
        return new OversightRequest(ours.id(), ours.agentId(), ours.tradeId(), ours.reason(), ours.riskLevel(), status,
                ours.createdAt(), ours.expiresAt(), at, by, comment);
    }

    /**
     * A decider named by the oversight service as a user id of this service. Characters a user id cannot hold
     * become {@code _} (an audit name, never an identity used for access), blank becomes {@link #DEFAULT_DECIDER}.
     */
    static UserId userId(String decidedBy) {
        String name = decidedBy == null ? "" : decidedBy.strip();
        if (name.isEmpty()) {
            return UserId.of(DEFAULT_DECIDER);
        }
        StringBuilder safe = new StringBuilder(Math.min(name.length(), 64));
        for (int i = 0; i < name.length() && safe.length() < 64; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            safe.append(ok ? c : '_');
        }
        return UserId.of(safe.toString());
    }

    private static String clip(String comment) {
        String c = comment.strip();
        return c.length() <= OversightRequest.MAX_COMMENT_LENGTH ? c : c.substring(0, OversightRequest.MAX_COMMENT_LENGTH);
    }

    // ---- server side: request messages → domain (for the policy) ----

    /** The trade as the domain policy sees it. @throws IllegalArgumentException on a malformed field */
    static Trade trade(TradeDetails details) {
        Symbol symbol = Symbol.of(details.getSymbol());
        Quantity quantity = new Quantity(decimal(details.getQuantity(), "trade.quantity"));
        Price price = new Price(decimal(details.getPrice(), "trade.price"));
        Side side = switch (details.getSide()) {
            case SIDE_BUY -> Side.BUY;
            case SIDE_SELL -> Side.SELL;
            default -> throw new IllegalArgumentException("trade.side must be SIDE_BUY or SIDE_SELL");
        };
        Money amount = details.hasAmount() && !details.getAmount().getAmount().isBlank()
                ? money(details.getAmount(), "trade.amount") : Trade.amountOf(quantity, price);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("trade.amount must be greater than 0");
        }
        String tradeId = details.getTradeId().isBlank() ? "evaluation" : details.getTradeId();
        return new Trade(TradeId.of(tradeId), AgentId.of(details.getAgentId()), Optional.empty(), symbol, side, quantity,
                price, OrderType.LIMIT, TradeStatus.PENDING, amount, Instant.EPOCH, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static Agent agent(AgentProfile profile, AgentId fallbackId) {
        AgentId id = profile.getAgentId().isBlank() ? fallbackId : AgentId.of(profile.getAgentId());
        UserId owner = profile.getOwnerUserId().isBlank() ? UserId.of("unknown") : UserId.of(profile.getOwnerUserId());
        if (!profile.hasBudget()) {
            throw new IllegalArgumentException("agent.budget is required");
        }
        Optional<Money> max = profile.hasMaxPositionSize() && !profile.getMaxPositionSize().getAmount().isBlank()
                ? Optional.of(money(profile.getMaxPositionSize(), "agent.max_position_size")) : Optional.empty();
        AgentConfig config = new AgentConfig(money(profile.getBudget(), "agent.budget"),
                Strategy.parse(profile.getStrategy()), RiskTolerance.parse(profile.getRiskTolerance()), max);
        return new Agent(id, "agent " + id.value(), AgentStatus.ACTIVE, config, owner,
                Instant.EPOCH, Instant.EPOCH);
    }

    /**
     * A portfolio carrying only what the policy reads: the cost of the position already held in the symbol.
     * The held quantity is not on the wire and the policy does not need it; one unit stands in.
     */
    static Portfolio portfolio(Agent agent, Trade trade, AgentProfile profile) {
        Money budget = agent.config().budget();
        Money cost = profile.hasPositionCost() && !profile.getPositionCost().getAmount().isBlank()
                ? money(profile.getPositionCost(), "agent.position_cost") : Money.zero(budget.currency());
        if (cost.isNegative()) {
            throw new IllegalArgumentException("agent.position_cost must not be negative");
        }
        if (cost.isZero()) {
            return Portfolio.open(agent.id(), budget);
        }
        Position held = new Position(trade.symbol(), Quantity.of(1), cost, trade.price());
        return new Portfolio(agent.id(), budget, Map.of(trade.symbol(), held), Map.of(), Money.zero(budget.currency()));
    }

    static EvaluateRiskResponse response(RiskAssessment assessment) {
        return EvaluateRiskResponse.newBuilder()
                .setLevel(riskLevel(assessment.level()))
                .setRequiresApproval(assessment.requiresApproval())
                .addAllReasons(assessment.reasons())
                .build();
    }

    private static BigDecimal decimal(String value, String field) {
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a decimal string, got '" + value + "'");
        }
    }
}
