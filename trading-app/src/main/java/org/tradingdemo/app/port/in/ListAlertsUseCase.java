package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;

/** Alerts the actor may see (a trader: their agents' and system-wide ones), newest first. */
public interface ListAlertsUseCase {

    Page<Alert> list(ListAlertsQuery query);

    record ListAlertsQuery(Actor actor, Optional<Boolean> acknowledged, Optional<AlertSeverity> severity,
                           PageRequest page) {
        public ListAlertsQuery {
            Objects.requireNonNull(actor, "actor");
            acknowledged = acknowledged == null ? Optional.empty() : acknowledged;
            severity = severity == null ? Optional.empty() : severity;
            Objects.requireNonNull(page, "page");
        }

        public static ListAlertsQuery of(Actor actor, String acknowledged, String severity, String cursor, Integer limit) {
            Validation v = new Validation();
            Optional<Boolean> ack = v.optional("acknowledged", acknowledged, ListAlertsQuery::bool);
            Optional<AlertSeverity> s = v.optional("severity", severity, AlertSeverity::parse);
            PageRequest page = PageCursors.pageRequest(v, cursor, limit);
            v.throwIfInvalid();
            return new ListAlertsQuery(actor, ack, s, page);
        }

        private static Boolean bool(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("acknowledged must be true or false");
            };
        }
    }
}
