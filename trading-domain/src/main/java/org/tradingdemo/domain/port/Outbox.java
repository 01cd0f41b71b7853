package org.tradingdemo.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.tradingdemo.domain.model.OutboxMessage;

/**
 * The transactional outbox. {@link #append} joins the caller's unit of work, so an effect is
 * recorded exactly when the change that causes it commits.
 */
public interface Outbox {

    /** Records the message unless one with the same idempotency key exists. @return false for a duplicate */
    boolean append(OutboxMessage message);

    /** Undelivered messages due at {@code now}, oldest first. */
    List<OutboxMessage> due(Instant now, int limit);

    Optional<OutboxMessage> findById(String id);

    /** Replaces the stored message (after a delivery attempt). */
    void save(OutboxMessage message);

    /** Undelivered messages, for metrics and readiness. */
    long countPending();
}
