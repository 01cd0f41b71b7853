package org.tradingdemo.domain.port;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.RiskAssessment;
import org.tradingdemo.domain.model.Trade;

/**
 * Oversight: judges a trade's risk and, for trades that need a human, keeps the oversight service
 * informed. Implementations: the local policy, or an oversight service.
 */
public interface ApprovalPort {

    /** @throws OversightUnavailableException when the judgement cannot be made */
    RiskAssessment evaluate(Agent agent, Trade trade, Portfolio portfolio);

    /** Tells the oversight service a request is open. Idempotent by request id. */
    void submit(OversightRequest request, Trade trade);

    /** Tells the oversight service how a request ended here. Idempotent. */
    void reportDecision(OversightRequest request);
}
