package org.tradingdemo.domain.port;

import java.util.Objects;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;

/**
 * Metering: reserve trading volume before a trade, then complete (count it) or release the
 * reservation. Implementations: the local quota over the usage ledger, or a metering service.
 * Every method may throw {@link MeteringUnavailableException}; the trade flow then fails closed.
 */
public interface QuotaPort {

    QuotaDecision reserve(QuotaRequest request);

    /** The reserved amount is now counted as usage (the ledger row was committed). Idempotent. */
    void complete(String reservationId);

    /** The reserved amount is given back. Idempotent. */
    void release(String reservationId);

    /** Where the agent stands in one window, reservations included. */
    QuotaCheck status(AgentId agentId, QuotaLimits limits, UsagePeriod period);

    /**
     * @param idempotencyKey the same key reserves at most once (the trade id)
     */
    record QuotaRequest(AgentId agentId, Money amount, QuotaLimits limits, String idempotencyKey) {
        public QuotaRequest {
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }

    sealed interface QuotaDecision {
        QuotaCheck check();
    }

    record Granted(String reservationId, QuotaCheck check) implements QuotaDecision {
    }

    record Denied(QuotaCheck check) implements QuotaDecision {
    }
}
