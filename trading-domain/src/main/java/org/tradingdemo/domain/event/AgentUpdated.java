package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;

/** {@code agent:update}: an agent was created or changed status. */
public record AgentUpdated(Agent agent, Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "agent:update";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return Optional.of(agent.id());
    }
}
