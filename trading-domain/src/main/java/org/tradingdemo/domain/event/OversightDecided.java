package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;

/** {@code oversight:decided}: a request was approved, rejected, expired or cancelled. */
public record OversightDecided(OversightRequest request, Trade trade, Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "oversight:decided";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return Optional.of(request.agentId());
    }
}
