package org.tradingdemo.app.port.in;

import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;

public interface AcknowledgeAlertUseCase {

    AcknowledgeResult acknowledge(Actor actor, AlertId alertId);

    sealed interface AcknowledgeResult {
    }

    record Acknowledged(Alert alert) implements AcknowledgeResult {
    }

    record NotFound() implements AcknowledgeResult {
    }

    record AlreadyAcknowledged(Alert alert) implements AcknowledgeResult {
    }
}
