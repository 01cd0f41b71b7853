package org.tradingdemo.domain.port;

import org.tradingdemo.domain.event.DomainEvent;

/**
 * Pushes committed changes to subscribers. Must not block the caller for long: implementations
 * that fan out use bounded queues.
 */
public interface EventPublisher {

    void publish(DomainEvent event);
}
