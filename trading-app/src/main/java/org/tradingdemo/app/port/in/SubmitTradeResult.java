package org.tradingdemo.app.port.in;

import java.time.Duration;

import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.Trade;

/** Every way a submission can end. Business refusals are values; only bugs and outages throw. */
public sealed interface SubmitTradeResult {

    /** Executed autonomously. @param replayed true when this answers a repeated clientOrderId */
    record Executed(Trade trade, Portfolio portfolio, boolean replayed) implements SubmitTradeResult {
    }

    /** Waiting for a human. @param replayed true when this answers a repeated clientOrderId */
    record PendingApproval(Trade trade, OversightRequest request, boolean replayed) implements SubmitTradeResult {
    }

    /** A repeated clientOrderId whose original trade is neither executed nor pending (e.g. rejected, cancelled). */
    record AlreadyProcessed(Trade trade) implements SubmitTradeResult {
    }

    /** The clientOrderId was already used by this agent for a different order. */
    record IdempotencyConflict(Trade original) implements SubmitTradeResult {
    }

    record AgentNotFound() implements SubmitTradeResult {
    }

    record AgentNotActive(AgentStatus status) implements SubmitTradeResult {
    }

    /** A market order for a symbol with no market price. */
    record NoMarketPrice(String symbol) implements SubmitTradeResult {
    }

    record InsufficientFunds(java.math.BigDecimal required, java.math.BigDecimal available) implements SubmitTradeResult {
    }

    record InsufficientPosition(String symbol, java.math.BigDecimal requested, java.math.BigDecimal available)
            implements SubmitTradeResult {
    }

    record QuotaExceeded(QuotaCheck check) implements SubmitTradeResult {
    }

    /** Metering or oversight could not be asked; nothing was created (fail closed). */
    record DependencyUnavailable(String dependency, Duration retryAfter) implements SubmitTradeResult {
    }
}
