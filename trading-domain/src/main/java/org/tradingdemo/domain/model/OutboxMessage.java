package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A side effect that leaves the process (a metering call, a report to the oversight service, a
 * message to humans), written in the same transaction as the change that causes it and delivered
 * after commit - at least once, recognisable by its idempotency key so a redelivery counts once.
 *
 * <p>The payload holds references (ids), not copies: the relay reads the current entities when it
 * delivers, so the store needs no serialisation of domain objects.
 *
 * @param kind           what to do, e.g. {@code quota.complete}, {@code approval.submit}
 * @param idempotencyKey unique per effect; a store refuses a second message with the same key
 * @param attempts       delivery attempts made so far
 * @param nextAttemptAt  not before this instant
 * @param deliveredAt    set once delivered
 */
public record OutboxMessage(String id, String kind, String idempotencyKey, Map<String, String> payload,
                            Instant createdAt, int attempts, Instant nextAttemptAt, Optional<Instant> deliveredAt,
                            Optional<String> lastError) {

    public static final int MAX_ERROR_LENGTH = 500;

    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        payload = Map.copyOf(payload);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        deliveredAt = deliveredAt == null ? Optional.empty() : deliveredAt;
        lastError = lastError == null ? Optional.empty() : lastError.map(e -> e.length() <= MAX_ERROR_LENGTH ? e
                : e.substring(0, MAX_ERROR_LENGTH));
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }

    public static OutboxMessage create(String id, String kind, String idempotencyKey, Map<String, String> payload,
                                       Instant now) {
        return new OutboxMessage(id, kind, idempotencyKey, payload, now, 0, now, Optional.empty(), Optional.empty());
    }

    public boolean isDelivered() {
        return deliveredAt.isPresent();
    }

    public OutboxMessage delivered(Instant now) {
        return new OutboxMessage(id, kind, idempotencyKey, payload, createdAt, attempts + 1, nextAttemptAt,
                Optional.of(now), Optional.empty());
    }

    public OutboxMessage failed(String error, Instant retryAt) {
        return new OutboxMessage(id, kind, idempotencyKey, payload, createdAt, attempts + 1, retryAt, Optional.empty(),
                Optional.ofNullable(error));
    }
}
