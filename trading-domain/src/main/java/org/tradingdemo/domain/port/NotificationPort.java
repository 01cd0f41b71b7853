package org.tradingdemo.domain.port;

/** Sends messages to humans. Delivery is best effort from the trade flow's point of view. */
public interface NotificationPort {

    void send(Notification notification);
}
