package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;

/**
 * Something that happened, published after the transaction that made it true has committed.
 * {@link #type()} is the wire name pushed to subscribers ({@code trade:update}, ...).
 */
public sealed interface DomainEvent permits AgentUpdated, TradeUpdated, PortfolioUpdated, OversightRequestCreated,
        OversightDecided, QuotaWarning, AlertRaised {

    String type();

    Instant occurredAt();

    /** The agent the event concerns, when there is one (routes it to {@code agent:<id>} channels). */
    Optional<AgentId> agentId();
}
