package org.tradingdemo.app.service;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;

/**
 * What happens once a transaction has committed: events go out, humans are told. The change is
 * already durable, so a failing subscriber or notifier is logged and never undoes or fails it.
 */
final class AfterCommit {
    private static final Logger log = LoggerFactory.getLogger(AfterCommit.class);

    private final EventPublisher events;
    private final NotificationPort notifier;

    AfterCommit(EventPublisher events, NotificationPort notifier) {
        this.events = events;
        this.notifier = notifier;
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

    void notify(Notification notification) {
        try {
            notifier.send(notification);
        } catch (RuntimeException e) {
            log.warn("notification {} could not be sent: {}", notification.idempotencyKey(), e.toString());
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
