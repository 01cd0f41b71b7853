package org.tradingdemo.app.inmemory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;

/**
 * Stands in for Slack when no webhook is configured: each notification becomes one INFO line.
 * Only ids, amounts and states are logged, never free text (comments, alert messages), which may
 * hold anything a user typed.
 */
public final class LoggingNotifier implements NotificationPort {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotifier.class);

    @Override
    public void send(Notification notification) {
        log.info("notification {}", summary(notification));
    }

    /** A one-line, secret-free description shared by the notifiers of this package. */
    static String summary(Notification notification) {
        if (notification instanceof Notification.ApprovalNeeded n) {
            return "approval needed: request " + n.request().id() + " for trade " + n.trade().id() + " of agent "
                    + n.agent().id() + " (" + n.trade().side().wireName() + " " + n.trade().quantity() + " "
                    + n.trade().symbol() + ", " + n.trade().amount() + ", risk " + n.request().riskLevel().wireName()
                    + ", expires " + n.request().expiresAt() + ")";
        }
        if (notification instanceof Notification.DecisionMade n) {
            OversightRequest r = n.request();
            return "request " + r.id() + " for trade " + n.trade().id() + " " + r.status().wireName()
                    + r.processedBy().map(by -> " by " + by).orElse("") + "; trade " + n.trade().status().wireName();
        }
        if (notification instanceof Notification.AlertNotice n) {
            return "alert " + n.alert().id() + " " + n.alert().severity().wireName() + " " + n.alert().type()
                    + n.alert().agentId().map(a -> " about agent " + a).orElse("");
        }
        return notification.idempotencyKey();
    }
}
