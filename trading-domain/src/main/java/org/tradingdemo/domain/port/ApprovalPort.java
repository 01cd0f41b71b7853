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

    /**
     * Starts {@link #evaluate} and returns at once; {@link Pending#await} gives the verdict (or throws
     * what {@code evaluate} throws). Lets the caller reserve quota meanwhile. By default the
     * evaluation is made when awaited.
     */
    default Pending<RiskAssessment> startEvaluate(Agent agent, Trade trade, Portfolio portfolio) {
        return () -> evaluate(agent, trade, portfolio);
    }

    /** Tells the oversight service a request is open. Idempotent by request id. */
    void submit(OversightRequest request, Trade trade);

    /**
     * Tells the oversight service how a request ended here (after the fact, from the outbox).
     * Idempotent; an authority that has lost the request is told about it first ({@code trade}).
     */
    void reportDecision(OversightRequest request, Trade trade);

    /**
     * Records a closing of a pending request (approved, rejected, cancelled, expired) at the
     * oversight authority BEFORE it is applied here, and returns the authoritative outcome: the
     * given closing when it came first, or the decision the authority had already taken. Applying
     * only what this returns is what keeps both sides in agreement whoever decides first.
     *
     * @param closing the request as this service wants to close it
     * @param trade   the request's trade (an authority that has not heard of the request yet is told)
     * @throws OversightUnavailableException when the authority cannot be asked; nothing may be applied
     * @throws ApprovalRefusedException       when the authority refuses this closing (self-approval)
     */
    default OversightRequest settle(OversightRequest closing, Trade trade) {
        return closing;
    }
}
