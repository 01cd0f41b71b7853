package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One order of an agent and what became of it. Immutable; transitions return the next snapshot
 * and refuse illegal moves (see {@link TradeStatus}).
 *
 * <p>{@code amount = quantity × price}, rounded to cents with {@link Money#ROUNDING} (half-even).
 * A trade whose amount rounds to zero is refused at creation.
 *
 * @param quotaReservation the metering reservation held while the trade awaits approval; an
 *                         infrastructure handle, never shown to clients
 */
public record Trade(TradeId id, AgentId agentId, Optional<ClientOrderId> clientOrderId, Symbol symbol, Side side,
                    Quantity quantity, Price price, OrderType type, TradeStatus status, Money amount,
                    Instant submittedAt, Optional<Instant> executedAt, Optional<Instant> cancelledAt,
                    Optional<String> reason, Optional<String> quotaReservation) {

    public static final int MAX_REASON_LENGTH = 500;

    public Trade {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(submittedAt, "submittedAt");
        clientOrderId = orEmpty(clientOrderId);
        executedAt = orEmpty(executedAt);
        cancelledAt = orEmpty(cancelledAt);
        reason = orEmpty(reason).map(Trade::clip);
        quotaReservation = orEmpty(quotaReservation);
    }

    /** The documented rounding rule: quantity × price, rounded half-even to cents. */
    public static Money amountOf(Quantity quantity, Price price) {
        return Money.rounded(quantity.value().multiply(price.value()), Money.USD);
    }

    /** A new order in state {@code pending}. Refuses an order worth less than one cent. */
    public static Trade submit(TradeId id, AgentId agentId, Optional<ClientOrderId> clientOrderId, Symbol symbol,
                               Side side, Quantity quantity, Price price, OrderType type, Instant now) {
        Money amount = amountOf(quantity, price);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("quantity × price must be at least 0.01");
        }
        return new Trade(id, agentId, clientOrderId, symbol, side, quantity, price, type, TradeStatus.PENDING, amount,
                now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isBuy() {
        return side == Side.BUY;
    }

    public boolean isOpen() {
        return !status.isFinal();
    }

    /** True when this trade is the same order as the given one (used to detect a reused client order id). */
    public boolean sameOrderAs(Symbol otherSymbol, Side otherSide, Quantity otherQuantity, Price otherPrice, OrderType otherType) {
        return symbol.equals(otherSymbol) && side == otherSide && quantity.equals(otherQuantity)
                && price.equals(otherPrice) && type == otherType;
    }

    public Trade execute(Instant now) {
        requireMoveTo(TradeStatus.EXECUTED);
        // one snapshot per transition: this runs for every executed trade
        return new Trade(id, agentId, clientOrderId, symbol, side, quantity, price, type, TradeStatus.EXECUTED, amount,
                submittedAt, Optional.of(now), cancelledAt, reason, Optional.empty());
    }

    public Trade awaitApproval(String reservation) {
        Trade next = moveTo(TradeStatus.PENDING_APPROVAL);
        return next.with(executedAt, cancelledAt, reason, Optional.ofNullable(reservation));
    }

    public Trade reject(String why, Instant now) {
        return moveTo(TradeStatus.REJECTED).with(executedAt, Optional.of(now), Optional.of(why), Optional.empty());
    }

    public Trade cancel(String why, Instant now) {
        return moveTo(TradeStatus.CANCELLED).with(executedAt, Optional.of(now), Optional.of(why), Optional.empty());
    }

    public Trade fail(String why, Instant now) {
        return moveTo(TradeStatus.FAILED).with(executedAt, Optional.of(now), Optional.of(why), Optional.empty());
    }

    private void requireMoveTo(TradeStatus next) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransitionException("trade", status.wireName(), next.wireName());
        }
    }

    private Trade moveTo(TradeStatus next) {
        requireMoveTo(next);
        return new Trade(id, agentId, clientOrderId, symbol, side, quantity, price, type, next, amount, submittedAt,
                executedAt, cancelledAt, reason, quotaReservation);
    }

    private Trade with(Optional<Instant> executed, Optional<Instant> cancelled, Optional<String> why,
                       Optional<String> reservation) {
        return new Trade(id, agentId, clientOrderId, symbol, side, quantity, price, type, status, amount, submittedAt,
                executed, cancelled, why, reservation);
    }

    private static String clip(String text) {
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH);
    }

    private static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }
}
