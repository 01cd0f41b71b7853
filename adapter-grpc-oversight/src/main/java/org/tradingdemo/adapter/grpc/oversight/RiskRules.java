package org.tradingdemo.adapter.grpc.oversight;

import java.util.Objects;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskRequest;
import org.tradingdemo.proto.oversight.v1.EvaluateRiskResponse;

/**
 * How the reference oversight server judges a trade ({@code EvaluateRisk}). Replaceable, so a demo can
 * show a stricter authority than the service's own policy; by default the very same rules as the domain's
 * {@link OversightPolicy}, so the remote and the local verdict never differ.
 */
@FunctionalInterface
public interface RiskRules {

    /**
     * @throws IllegalArgumentException when the request lacks or malforms a field the rules need
     *                                  (answered with INVALID_ARGUMENT)
     */
    EvaluateRiskResponse evaluate(EvaluateRiskRequest request);

    /** The domain policy with its default threshold ($50,000). */
    static RiskRules defaults() {
        return policy(OversightPolicy.withDefaults());
    }

    /** The domain policy with another approval threshold. */
    static RiskRules withThreshold(Money threshold) {
        return policy(new OversightPolicy(threshold));
    }

    /** The domain policy, applied to domain objects rebuilt from the request. */
    static RiskRules policy(OversightPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return request -> {
            if (!request.hasTrade()) {
                throw new IllegalArgumentException("trade is required");
            }
            if (!request.hasAgent()) {
                throw new IllegalArgumentException("agent is required");
            }
            Trade trade = ProtoMapping.trade(request.getTrade());
            Agent agent = ProtoMapping.agent(request.getAgent(), AgentId.of(request.getTrade().getAgentId()));
            Portfolio portfolio = ProtoMapping.portfolio(agent, trade, request.getAgent());
            return ProtoMapping.response(policy.assess(agent, trade, portfolio));
        };
    }
}
