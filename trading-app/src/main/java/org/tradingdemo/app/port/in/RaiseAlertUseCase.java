package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertSeverity;

public interface RaiseAlertUseCase {

    RaiseAlertResult raise(RaiseAlertCommand command);

    record RaiseAlertCommand(Actor actor, AlertSeverity severity, String type, String message,
                             Optional<AgentId> agentId) {
        public RaiseAlertCommand {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(severity, "severity");
            type = Alert.requireType(type);
            message = Alert.requireMessage(message);
            agentId = agentId == null ? Optional.empty() : agentId;
        }

        public static RaiseAlertCommand of(Actor actor, String severity, String type, String message, String agentId) {
            Validation v = new Validation();
            AlertSeverity s = v.required("severity", severity, AlertSeverity::parse);
            String t = v.required("type", type, Alert::requireType);
            String m = v.required("message", message, Alert::requireMessage);
            Optional<AgentId> a = v.optional("agentId", agentId, AgentId::of);
            v.throwIfInvalid();
            return new RaiseAlertCommand(actor, s, t, m, a);
        }
    }

    sealed interface RaiseAlertResult {
    }

    record Raised(Alert alert) implements RaiseAlertResult {
    }

    record AgentNotFound() implements RaiseAlertResult {
    }
}
