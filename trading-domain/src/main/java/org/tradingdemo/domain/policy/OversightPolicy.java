package org.tradingdemo.domain.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Trade;

/**
 * Decides whether a trade may execute on its own or must wait for a human.
 *
 * <p>Rules, each a small function over (agent, trade, portfolio):
 * <ol>
 *   <li><b>threshold</b> - an amount strictly above the threshold (default $50,000) needs approval
 *       ($50,000.00 is autonomous, $50,000.01 is not); risk at least MEDIUM;</li>
 *   <li><b>position size</b> - a buy that would lift the position's cost above the agent's
 *       {@code maxPositionSize} is HIGH;</li>
 *   <li><b>concentration</b> - a buy larger than a share of the budget set by the agent's risk
 *       tolerance (low 20 %, medium 40 %, high 80 %; halved for the conservative strategy) is HIGH;
 *       above a quarter of that share it is MEDIUM.</li>
 * </ol>
 * A trade needs approval when the threshold rule fires or the level is HIGH. Sells reduce exposure:
 * only the threshold rule applies to them.
 */
public final class OversightPolicy {

    public static final Money DEFAULT_THRESHOLD = Money.usd(50_000);
    private static final BigDecimal QUARTER = new BigDecimal("0.25");
    private static final BigDecimal LOW_SHARE = new BigDecimal("0.20");
    private static final BigDecimal MEDIUM_SHARE = new BigDecimal("0.40");
    private static final BigDecimal HIGH_SHARE = new BigDecimal("0.80");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private final Money threshold;

    public OversightPolicy(Money threshold) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        if (!threshold.isPositive()) {
            throw new IllegalArgumentException("approval threshold must be greater than 0");
        }
    }

    public static OversightPolicy withDefaults() {
        return new OversightPolicy(DEFAULT_THRESHOLD);
    }

    public Money threshold() {
        return threshold;
    }

    public RiskAssessment assess(Agent agent, Trade trade, Portfolio portfolio) {
        List<String> reasons = new ArrayList<>(2);
        RiskLevel level = RiskLevel.LOW;
        boolean aboveThreshold = trade.amount().isGreaterThan(threshold);
        if (aboveThreshold) {
            reasons.add("amount " + trade.amount().amount().toPlainString() + " exceeds the approval threshold of "
                    + threshold.amount().toPlainString());
            level = RiskLevel.MEDIUM;
        }
        if (trade.side() == Side.BUY) {
            Optional<String> position = positionSizeRule(agent, trade, portfolio);
            if (position.isPresent()) {
                reasons.add(position.get());
                level = RiskLevel.HIGH;
            }
            RiskLevel concentration = concentrationLevel(agent, trade);
            if (concentration == RiskLevel.HIGH) {
                reasons.add("amount is more than " + percent(concentrationShare(agent.config().riskTolerance(),
                        agent.config().strategy())) + " of the budget for a " + agent.config().riskTolerance().wireName()
                        + "-tolerance " + agent.config().strategy().wireName() + " agent");
            }
            level = level.max(concentration);
        }
        return new RiskAssessment(level, aboveThreshold || level == RiskLevel.HIGH, reasons);
    }

    private static Optional<String> positionSizeRule(Agent agent, Trade trade, Portfolio portfolio) {
        if (agent.config().maxPositionSize().isEmpty()) {
            return Optional.empty();
        }
        Money max = agent.config().maxPositionSize().get();
        Money held = portfolio.position(trade.symbol()).map(p -> p.costBasis()).orElse(Money.zero(Money.USD));
        Money after = held.plus(trade.amount());
        if (after.isGreaterThan(max)) {
            return Optional.of("position in " + trade.symbol() + " would reach " + after.amount().toPlainString()
                    + ", above the agent's maxPositionSize of " + max.amount().toPlainString());
        }
        return Optional.empty();
    }

    private static RiskLevel concentrationLevel(Agent agent, Trade trade) {
        BigDecimal share = concentrationShare(agent.config().riskTolerance(), agent.config().strategy());
        Money high = agent.config().budget().times(share);
        Money medium = high.times(QUARTER);
        if (trade.amount().isGreaterThan(high)) {
            return RiskLevel.HIGH;
        }
        return trade.amount().isGreaterThan(medium) ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }

    static BigDecimal concentrationShare(RiskTolerance tolerance, Strategy strategy) {
        BigDecimal share = switch (tolerance) {
            case LOW -> LOW_SHARE;
            case MEDIUM -> MEDIUM_SHARE;
            case HIGH -> HIGH_SHARE;
        };
        return strategy == Strategy.CONSERVATIVE ? share.divide(TWO) : share;
    }

    private static String percent(BigDecimal share) {
        return share.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }
}
