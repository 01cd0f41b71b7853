package org.tradingdemo.app.local;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.domain.port.ApprovalPort;

/**
 * Oversight without an oversight service: the risk verdict comes from {@link OversightPolicy};
 * requests and decisions live only in this service's own store, so there is nobody to tell.
 */
public final class LocalApproval implements ApprovalPort {

    private final OversightPolicy policy;

    public LocalApproval(OversightPolicy policy) {
        this.policy = policy;
    }

    @Override
    public RiskAssessment evaluate(Agent agent, Trade trade, Portfolio portfolio) {
        return policy.assess(agent, trade, portfolio);
    }

    @Override
    public void submit(OversightRequest request, Trade trade) {
        // the request is already stored locally; no external service to inform
    }

    @Override
    public void reportDecision(OversightRequest request, Trade trade) {
        // decisions are taken locally; no external service to inform
    }
}
