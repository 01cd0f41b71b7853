package org.tradingdemo.app.service;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.port.EventPublisher;

/**
 * What happens once a transaction has committed: events go out. The change is already durable, so
 * a failing subscriber is logged and never undoes or fails it. (Effects that leave the process go
 * through the outbox, see {@link OutboxRelay}.)
 */
final class AfterCommit {
    private static final Logger log = LoggerFactory.getLogger(AfterCommit.class);

    private final EventPublisher events;

    AfterCommit(EventPublisher events) {
        this.events = events;
    }

    void publish(List<? extends DomainEvent> committed) {
        for (DomainEvent event : committed) {
            try {
                events.publish(event);
            } catch (RuntimeException e) {
                log.warn("event {} could not be published: {}", event.type(), e.toString());
            }
        }
    }

    /** Runs a best-effort call to a dependency after commit (quota completion, reports to oversight). */
    static void attempt(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("{} failed after commit: {}", what, e.toString());
        }
    }
}
