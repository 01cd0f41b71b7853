package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;

/** The owner withdraws a trade still waiting for approval: cancelled, reservation and quota released. */
public interface CancelTradeUseCase {

    CancelTradeResult cancel(CancelTradeCommand command);

    record CancelTradeCommand(Actor actor, TradeId tradeId, Optional<String> reason) {
        public CancelTradeCommand {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(tradeId, "tradeId");
            reason = reason == null ? Optional.empty() : reason.map(String::strip).filter(r -> !r.isEmpty());
            if (reason.isPresent() && reason.get().length() > Trade.MAX_REASON_LENGTH) {
                throw ValidationException.of("reason", "reason must be at most " + Trade.MAX_REASON_LENGTH + " characters");
            }
        }
    }

    sealed interface CancelTradeResult {
    }

    record Cancelled(Trade trade, Portfolio portfolio) implements CancelTradeResult {
    }

    record NotFound() implements CancelTradeResult {
    }

    /** Only the agent's owner (or an admin-like actor) may cancel. */
    record NotOwner() implements CancelTradeResult {
    }

    /** The trade is already final (possibly because an approval elsewhere came first and executed it). */
    record Conflict(TradeStatus status) implements CancelTradeResult {
    }

    /** The oversight service could not record the cancellation; nothing changed. */
    record OversightUnavailable(java.time.Duration retryAfter) implements CancelTradeResult {
    }
}
