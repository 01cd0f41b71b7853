package org.tradingdemo.app.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.app.service.ServiceTestData.agent;
import static org.tradingdemo.app.service.ServiceTestData.pendingRequest;
import static org.tradingdemo.app.service.ServiceTestData.portfolio;
import static org.tradingdemo.app.service.ServiceTestData.trade;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.policy.OversightPolicy;

/** The agent has a 100,000 budget, balanced, medium tolerance: a buy above 40,000 is HIGH risk. */
class LocalApprovalTest {

    @Test
    void anOrdinaryTradeIsAutonomousExactlyAsThePolicySays() {
        OversightPolicy policy = OversightPolicy.withDefaults();
        Trade small = trade("trade-1", Side.BUY, "10", "150");

        RiskAssessment verdict = new LocalApproval(policy).evaluate(agent(), small, portfolio());

        assertEquals(policy.assess(agent(), small, portfolio()), verdict);
        assertFalse(verdict.requiresApproval());
        assertEquals(RiskLevel.LOW, verdict.level());
    }

    @Test
    void aLargeTradeNeedsApprovalExactlyAsThePolicySays() {
        OversightPolicy policy = OversightPolicy.withDefaults();
        Trade large = trade("trade-1", Side.BUY, "300", "200");

        RiskAssessment verdict = new LocalApproval(policy).evaluate(agent(), large, portfolio());

        assertEquals(policy.assess(agent(), large, portfolio()), verdict);
        assertTrue(verdict.requiresApproval());
        assertEquals(RiskLevel.HIGH, verdict.level());
    }

    @Test
    void theInjectedPolicyDecidesNotADefaultOne() {
        Trade small = trade("trade-1", Side.BUY, "10", "150");

        RiskAssessment verdict = new LocalApproval(new OversightPolicy(Money.usd(1_000)))
                .evaluate(agent(), small, portfolio());

        assertTrue(verdict.requiresApproval(), "1,500 is above a 1,000 threshold");
    }

    @Test
    void submittingAndReportingHaveNobodyToTellAndNeverFail() {
        Trade waiting = trade("trade-1", Side.BUY, "300", "200").awaitApproval("res-1");
        LocalApproval approval = new LocalApproval(OversightPolicy.withDefaults());

        assertDoesNotThrow(() -> approval.submit(pendingRequest("req-1", waiting), waiting));
        assertDoesNotThrow(() -> approval.reportDecision(pendingRequest("req-1", waiting), waiting));
    }
}
