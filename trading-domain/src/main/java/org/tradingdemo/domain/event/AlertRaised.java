package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;

/** {@code alert:raised}. */
public record AlertRaised(Alert alert, Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "alert:raised";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return alert.agentId();
    }
}
