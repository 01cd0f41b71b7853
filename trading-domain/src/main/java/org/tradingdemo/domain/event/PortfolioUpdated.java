package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Portfolio;

/** {@code portfolio:update}: cash, positions or reservations changed. */
public record PortfolioUpdated(Portfolio portfolio, Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "portfolio:update";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return Optional.of(portfolio.agentId());
    }
}
