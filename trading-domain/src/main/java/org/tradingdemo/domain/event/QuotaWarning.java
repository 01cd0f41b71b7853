package org.tradingdemo.domain.event;

import java.time.Instant;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;

/** {@code quota:warning}: an agent's usage crossed 80 % of a window's limit (once per window). */
public record QuotaWarning(AgentId agent, UsagePeriod period, Money used, Money limit, Instant resetAt,
                           Instant occurredAt) implements DomainEvent {
    public static final String TYPE = "quota:warning";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<AgentId> agentId() {
        return Optional.of(agent);
    }
}
