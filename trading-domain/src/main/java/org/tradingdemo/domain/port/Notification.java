package org.tradingdemo.domain.port;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;

/** A message for humans (Slack, e-mail, a log). */
public sealed interface Notification {

    /** A stable key so a redelivered notification can be recognised. */
    String idempotencyKey();

    record ApprovalNeeded(OversightRequest request, Trade trade, Agent agent) implements Notification {
        @Override
        public String idempotencyKey() {
            return "approval_needed:" + request.id().value();
        }
    }

    record DecisionMade(OversightRequest request, Trade trade) implements Notification {
        @Override
        public String idempotencyKey() {
            return "decision:" + request.id().value();
        }
    }

    record AlertNotice(Alert alert) implements Notification {
        @Override
        public String idempotencyKey() {
            return "alert:" + alert.id().value();
        }
    }
}
