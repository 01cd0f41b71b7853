package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One metered event in the usage ledger.
 *
 * @param eventId idempotency key: recording the same event twice counts it once. Events of this service
 *                are {@code <type>:<subject id>} ({@code agent_created:<agent id>}), except an executed
 *                trade's, which is the bare trade id: there is one per trade, ids are unique across
 *                kinds and never contain {@code :}, and it is the most numerous row of the ledger, so
 *                it shares the trade id's string instead of keeping a second, longer one
 * @param amount  the traded volume for {@code trade_executed}; zero for the others
 */
public record UsageRecord(String eventId, AgentId agentId, UsageType type, Money amount, Instant occurredAt,
                          Map<String, String> metadata) {

    public UsageRecord {
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("eventId is required");
        }
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(occurredAt, "occurredAt");
        // the compact execution metadata is immutable already; anything else is copied
        metadata = metadata instanceof ExecutionMetadata ? metadata : Map.copyOf(metadata);
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative");
        }
    }

    public static UsageRecord tradeExecuted(Trade trade, Instant at) {
        return new UsageRecord(trade.id().value(), trade.agentId(), UsageType.TRADE_EXECUTED,
                trade.amount(), at, new ExecutionMetadata(trade));
    }

    public static UsageRecord agentCreated(Agent agent) {
        return new UsageRecord("agent_created:" + agent.id().value(), agent.id(), UsageType.AGENT_CREATED,
                Money.zero(Money.USD), agent.createdAt(), Map.of());
    }

    public static UsageRecord oversightRequested(OversightRequest request) {
        return new UsageRecord("oversight_requested:" + request.id().value(), request.agentId(),
                UsageType.OVERSIGHT_REQUESTED, Money.zero(Money.USD), request.createdAt(),
                Map.of("tradeId", request.tradeId().value()));
    }
}
