package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;

public interface GetAgentUseCase {

    /** Empty when the agent does not exist or the actor may not see it (the two are not told apart). */
    Optional<Agent> get(Actor actor, AgentId agentId);
}
