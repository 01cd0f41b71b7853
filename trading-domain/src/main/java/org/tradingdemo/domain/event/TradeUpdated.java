package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Trade;

/** {@code trade:update}: a trade was created or changed status. */
public record TradeUpdated(Trade trade, Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "trade:update";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return Optional.of(trade.agentId());
    }
}
