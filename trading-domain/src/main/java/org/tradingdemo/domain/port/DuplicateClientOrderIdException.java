package org.tradingdemo.domain.port;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;

/** A store refused a second trade with the same (agent, clientOrderId). */
public final class DuplicateClientOrderIdException extends RuntimeException {
    public DuplicateClientOrderIdException(AgentId agentId, ClientOrderId clientOrderId) {
        super("agent " + agentId + " already has a trade with clientOrderId " + clientOrderId);
    }
}
