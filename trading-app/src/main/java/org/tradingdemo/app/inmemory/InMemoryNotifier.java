package org.tradingdemo.app.inmemory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;

/** Keeps the last notifications so demos and tests can see what a human would have been told. */
public final class InMemoryNotifier implements NotificationPort {

    public static final int DEFAULT_CAPACITY = 1000;
    private static final Logger log = LoggerFactory.getLogger(InMemoryNotifier.class);

    private final Deque<Notification> sent = new ArrayDeque<>();
    private final int capacity;

    public InMemoryNotifier() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity how many notifications {@link #sent()} keeps, at least 1 */
    public InMemoryNotifier(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    public void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        synchronized (sent) {
            if (sent.size() == capacity) {
                sent.removeFirst();
            }
            sent.addLast(notification);
        }
        log.info("notification {}", LoggingNotifier.summary(notification));
    }

    /** The last notifications, oldest first. */
    public List<Notification> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }
}
