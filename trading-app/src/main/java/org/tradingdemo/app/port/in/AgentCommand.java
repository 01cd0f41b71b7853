package org.tradingdemo.app.port.in;

import java.util.Objects;

import org.tradingdemo.domain.model.AgentId;

/** The input of the agent lifecycle use cases: who, and which agent. */
public record AgentCommand(Actor actor, AgentId agentId) {
    public AgentCommand {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(agentId, "agentId");
    }
}
