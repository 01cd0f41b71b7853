package org.tradingdemo.domain.port;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Starts {@link #reserve} and returns at once; {@link Pending#await} gives its answer (or throws
     * what {@code reserve} throws). Lets the caller do other work - start the risk evaluation - while
     * a remote metering service answers. By default the reservation is made when awaited.
     */
    default Pending<QuotaDecision> startReserve(QuotaRequest request) {
        return () -> reserve(request);
    }

    /** The reserved amount is now counted as usage (the ledger row was committed). Idempotent. */
    void complete(String reservationId);

    /**
     * {@link #complete} without making the caller wait for a remote service: the future completes
     * once metering has counted it, or exceptionally when this attempt failed (the caller retries
     * later; the completion is idempotent). It must never block. By default the completion is made
     * on the caller's thread and the future returned already done.
     */
    default CompletableFuture<Void> completeAsync(String reservationId) {
        try {
            complete(reservationId);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether this quota lives in this process (the local quota). Its completions and releases then
     * never leave the process and have nothing to survive a crash for (the reservations themselves
     * are in memory), so the trade flow makes them right after commit instead of writing them to the
     * transactional outbox, which holds the effects that leave the process. A metering service:
     * {@code false}, the default.
     */
    default boolean inProcess() {
        return false;
    }

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
