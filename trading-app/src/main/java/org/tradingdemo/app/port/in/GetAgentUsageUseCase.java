package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.UsagePeriod;

public interface GetAgentUsageUseCase {

    /** Empty when the agent does not exist or the actor may not see it. */
    Optional<UsageReport> usage(Actor actor, AgentId agentId, UsagePeriod period);
}
