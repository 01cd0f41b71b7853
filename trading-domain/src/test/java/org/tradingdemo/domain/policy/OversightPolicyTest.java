package org.tradingdemo.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AAPL;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.MSFT;
import static org.tradingdemo.domain.model.ModelTestData.agent;
import static org.tradingdemo.domain.model.ModelTestData.buy;
import static org.tradingdemo.domain.model.ModelTestData.config;
import static org.tradingdemo.domain.model.ModelTestData.sell;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Trade;

class OversightPolicyTest {

    private final OversightPolicy policy = OversightPolicy.withDefaults();

    /** Budget 1,000,000 with high tolerance: concentration fires only above 800,000 (MEDIUM above 200,000). */
    private static Agent bigAgent(Strategy strategy) {
        return agent(config("1000000", strategy, RiskTolerance.HIGH));
    }

    private static Portfolio portfolioOf(Agent agent) {
        return Portfolio.open(AGENT, agent.config().budget());
    }

    private RiskAssessment assess(Agent agent, Trade trade) {
        return policy.assess(agent, trade, portfolioOf(agent));
    }

    // ---------------------------------------------------------------- threshold

    @Test
    void defaultThresholdIsFiftyThousandDollars() {
        assertEquals(Money.usd("50000.00"), policy.threshold());
        assertEquals(Money.usd("50000.00"), OversightPolicy.DEFAULT_THRESHOLD);
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"AGGRESSIVE", "BALANCED"})
    void exactlyFiftyThousandIsAutonomous(Strategy strategy) {
        RiskAssessment r = assess(bigAgent(strategy), buy("t1", "1", "50000.00"));
        assertFalse(r.requiresApproval());
        assertEquals(RiskLevel.LOW, r.level());
        assertEquals(List.of(), r.reasons());
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"AGGRESSIVE", "BALANCED"})
    void oneCentAboveNeedsApproval(Strategy strategy) {
        RiskAssessment r = assess(bigAgent(strategy), buy("t1", "1", "50000.01"));
        assertTrue(r.requiresApproval());
        assertEquals(RiskLevel.MEDIUM, r.level());
        assertEquals(List.of("amount 50000.01 exceeds the approval threshold of 50000.00"), r.reasons());
        assertEquals("amount 50000.01 exceeds the approval threshold of 50000.00", r.summary());
    }

    @Test
    void thresholdAppliesToTheRoundedAmount() {
        // 1 × 50000.004 rounds to 50000.00; 1 × 50000.005 rounds half-even to 50000.00; 50000.0051 → 50000.01
        assertFalse(assess(bigAgent(Strategy.BALANCED), buy("t1", "1", "50000.004")).requiresApproval());
        assertFalse(assess(bigAgent(Strategy.BALANCED), buy("t2", "1", "50000.005")).requiresApproval());
        assertTrue(assess(bigAgent(Strategy.BALANCED), buy("t3", "1", "50000.0051")).requiresApproval());
    }

    @ParameterizedTest
    @CsvSource({"1000.00, false", "1000.01, true", "999.99, false"})
    void customThreshold(String amount, boolean approval) {
        OversightPolicy custom = new OversightPolicy(Money.usd(1000));
        Agent a = bigAgent(Strategy.AGGRESSIVE);
        assertEquals(approval, custom.assess(a, buy("t1", "1", amount), portfolioOf(a)).requiresApproval());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.01", "-50000"})
    void thresholdMustBePositive(String threshold) {
        assertThrows(IllegalArgumentException.class, () -> new OversightPolicy(Money.usd(threshold)));
    }

    @Test
    void thresholdIsRequired() {
        assertThrows(NullPointerException.class, () -> new OversightPolicy(null));
    }

    // ---------------------------------------------------------------- sells

    @Test
    void sellsAreJudgedOnlyByTheThreshold() {
        Agent small = agent(config("10000", Strategy.CONSERVATIVE, RiskTolerance.LOW, "100"));
        // 9,000 is far above this agent's concentration limit (1,000) and maxPositionSize (100): a sell ignores both
        RiskAssessment r = assess(small, sell("s1", "90", "100"));
        assertFalse(r.requiresApproval());
        assertEquals(RiskLevel.LOW, r.level());
        assertEquals(List.of(), r.reasons());

        RiskAssessment big = assess(small, sell("s2", "1", "50000.01"));
        assertTrue(big.requiresApproval());
        assertEquals(RiskLevel.MEDIUM, big.level());
        assertEquals(1, big.reasons().size());
        assertTrue(big.reasons().get(0).contains("exceeds the approval threshold"));

        assertFalse(assess(small, sell("s3", "1", "50000")).requiresApproval());
    }

    // ---------------------------------------------------------------- max position size

    @Test
    void buyUpToMaxPositionSizeIsFine() {
        Agent a = agent(config("1000000", Strategy.AGGRESSIVE, RiskTolerance.HIGH, "10000"));
        Portfolio p = portfolioOf(a).apply(buy("b1", "60", "100")); // AAPL cost 6,000
        RiskAssessment r = policy.assess(a, buy("t1", "40", "100"), p); // reaches exactly 10,000
        assertFalse(r.requiresApproval());
        assertEquals(RiskLevel.LOW, r.level());
    }

    @Test
    void buyAboveMaxPositionSizeIsHighRisk() {
        Agent a = agent(config("1000000", Strategy.AGGRESSIVE, RiskTolerance.HIGH, "10000"));
        Portfolio p = portfolioOf(a).apply(buy("b1", "60", "100"));
        RiskAssessment r = policy.assess(a, buy("t1", "1", "4000.01"), p);
        assertTrue(r.requiresApproval());
        assertEquals(RiskLevel.HIGH, r.level());
        assertEquals(List.of("position in AAPL would reach 10000.01, above the agent's maxPositionSize of 10000.00"),
                r.reasons());
    }

    @Test
    void maxPositionSizeCountsTheSymbolsOwnPositionOnly() {
        Agent a = agent(config("1000000", Strategy.AGGRESSIVE, RiskTolerance.HIGH, "10000"));
        Portfolio p = portfolioOf(a).apply(buy("b1", "60", "100"));
        assertFalse(policy.assess(a, buy("t1", MSFT, "1", "10000"), p).requiresApproval());
        assertTrue(policy.assess(a, buy("t2", MSFT, "1", "10000.01"), p).requiresApproval());
    }

    @Test
    void maxPositionSizeAppliesWithoutAnExistingPosition() {
        Agent a = agent(config("1000000", Strategy.AGGRESSIVE, RiskTolerance.HIGH, "5000"));
        assertFalse(assess(a, buy("t1", "1", "5000")).requiresApproval());
        RiskAssessment r = assess(a, buy("t2", "1", "5000.01"));
        assertEquals(RiskLevel.HIGH, r.level());
        assertTrue(r.requiresApproval());
    }

    @Test
    void noMaxPositionSizeMeansNoPositionRule() {
        Agent a = bigAgent(Strategy.AGGRESSIVE);
        Portfolio p = portfolioOf(a).apply(buy("b1", "1", "40000"));
        assertFalse(policy.assess(a, buy("t1", "1", "50000"), p).requiresApproval());
    }

    // ---------------------------------------------------------------- concentration

    @ParameterizedTest(name = "{0}/{1}: HIGH above {2}, MEDIUM above {3}")
    @CsvSource({
            "LOW,    BALANCED,     2000.00, 500.00,  20",
            "LOW,    AGGRESSIVE,   2000.00, 500.00,  20",
            "MEDIUM, BALANCED,     4000.00, 1000.00, 40",
            "MEDIUM, AGGRESSIVE,   4000.00, 1000.00, 40",
            "HIGH,   BALANCED,     8000.00, 2000.00, 80",
            "HIGH,   AGGRESSIVE,   8000.00, 2000.00, 80",
            "LOW,    CONSERVATIVE, 1000.00, 250.00,  10",
            "MEDIUM, CONSERVATIVE, 2000.00, 500.00,  20",
            "HIGH,   CONSERVATIVE, 4000.00, 1000.00, 40"
    })
    void concentrationRulePerToleranceAndConservativeHalving(RiskTolerance tolerance, Strategy strategy, String high,
                                                             String medium, String percent) {
        Agent a = agent(config("10000", strategy, tolerance));
        Money highLimit = Money.usd(high);
        Money mediumLimit = Money.usd(medium);
        Money cent = Money.usd("0.01");

        RiskAssessment atMedium = assess(a, buy("t1", "1", mediumLimit.amount().toPlainString()));
        assertEquals(RiskLevel.LOW, atMedium.level());
        assertFalse(atMedium.requiresApproval());

        RiskAssessment aboveMedium = assess(a, buy("t2", "1", mediumLimit.plus(cent).amount().toPlainString()));
        assertEquals(RiskLevel.MEDIUM, aboveMedium.level());
        assertFalse(aboveMedium.requiresApproval(), "MEDIUM alone does not need a human");
        assertEquals(List.of(), aboveMedium.reasons());

        RiskAssessment atHigh = assess(a, buy("t3", "1", highLimit.amount().toPlainString()));
        assertEquals(RiskLevel.MEDIUM, atHigh.level());
        assertFalse(atHigh.requiresApproval());

        RiskAssessment aboveHigh = assess(a, buy("t4", "1", highLimit.plus(cent).amount().toPlainString()));
        assertEquals(RiskLevel.HIGH, aboveHigh.level());
        assertTrue(aboveHigh.requiresApproval());
        assertEquals(List.of("amount is more than " + percent + " % of the budget for a " + tolerance.wireName()
                + "-tolerance " + strategy.wireName() + " agent"), aboveHigh.reasons());
    }

    @ParameterizedTest
    @CsvSource({
            "LOW, BALANCED, 0.20", "MEDIUM, BALANCED, 0.40", "HIGH, BALANCED, 0.80",
            "LOW, AGGRESSIVE, 0.20", "MEDIUM, AGGRESSIVE, 0.40", "HIGH, AGGRESSIVE, 0.80",
            "LOW, CONSERVATIVE, 0.10", "MEDIUM, CONSERVATIVE, 0.20", "HIGH, CONSERVATIVE, 0.40"
    })
    void concentrationShares(RiskTolerance tolerance, Strategy strategy, String share) {
        assertEquals(0, new BigDecimal(share).compareTo(OversightPolicy.concentrationShare(tolerance, strategy)));
    }

    @Test
    void everyRuleThatFiresIsListedInOrder() {
        Agent a = agent(config("100000", Strategy.BALANCED, RiskTolerance.LOW, "30000")); // concentration HIGH > 20,000
        RiskAssessment r = assess(a, buy("t1", "1", "50000.01"));
        assertTrue(r.requiresApproval());
        assertEquals(RiskLevel.HIGH, r.level());
        assertEquals(List.of(
                "amount 50000.01 exceeds the approval threshold of 50000.00",
                "position in AAPL would reach 50000.01, above the agent's maxPositionSize of 30000.00",
                "amount is more than 20 % of the budget for a low-tolerance balanced agent"), r.reasons());
        assertEquals(String.join("; ", r.reasons()), r.summary());
    }

    @Test
    void ordinaryTradeIsLowAndAutonomous() {
        RiskAssessment r = assess(agent(), buy("t1", "1", "100"));
        assertEquals(RiskLevel.LOW, r.level());
        assertFalse(r.requiresApproval());
        assertTrue(r.reasons().isEmpty());
    }
}
