package org.tradingdemo.app.inmemory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.port.EventPublisher;

/**
 * Delivers each event to every subscriber on the publishing thread, in subscription order, and keeps
 * the last events for demos and tests. Subscribers must be quick (a WebSocket fan-out only enqueues):
 * the trade flow waits for them. One failing subscriber is logged and does not stop the others.
 */
public final class InMemoryEventPublisher implements EventPublisher {

    public static final int DEFAULT_CAPACITY = 1000;
    private static final Logger log = LoggerFactory.getLogger(InMemoryEventPublisher.class);

    /** Ends a subscription; closing twice is harmless. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Identity-compared, so the same consumer subscribed twice has two independent subscriptions. */
    private static final class Subscriber {
        private final Consumer<? super DomainEvent> consumer;

        Subscriber(Consumer<? super DomainEvent> consumer) {
            this.consumer = consumer;
        }
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Deque<DomainEvent> recent = new ArrayDeque<>();
    private final int capacity;

    public InMemoryEventPublisher() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity how many recent events {@link #recent()} keeps, at least 1 */
    public InMemoryEventPublisher(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public Subscription subscribe(Consumer<? super DomainEvent> consumer) {
        Subscriber subscriber = new Subscriber(Objects.requireNonNull(consumer, "consumer"));
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void publish(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (recent) {
            if (recent.size() == capacity) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.consumer.accept(event);
            } catch (RuntimeException e) {
                log.warn("subscriber failed on event {}; the other subscribers still get it", event.type(), e);
            }
        }
    }

    /** The last published events, oldest first. */
    public List<DomainEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
