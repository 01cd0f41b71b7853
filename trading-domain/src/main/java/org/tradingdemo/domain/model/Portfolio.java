package org.tradingdemo.domain.model;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An agent's cash, holdings and the reservations of its trades awaiting approval. Immutable.
 *
 * <ul>
 *   <li>cash starts at the budget; {@code availableCash = cash − reservedCash};</li>
 *   <li>a buy needs available cash, a sell needs available (held and not reserved) units: no shorting;</li>
 *   <li>positions keep a total cost basis; a sell realises {@code proceeds − cost basis of the units sold}.</li>
 * </ul>
 */
public record Portfolio(AgentId agentId, Money cash, Map<Symbol, Position> positions,
                        Map<TradeId, Reservation> reservations, Money realizedPnL) {

    public Portfolio {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(cash, "cash");
        Objects.requireNonNull(realizedPnL, "realizedPnL");
        positions = Map.copyOf(positions);
        reservations = Map.copyOf(reservations);
        if (cash.isNegative()) {
            throw new IllegalArgumentException("cash must not be negative");
        }
    }

    public static Portfolio open(AgentId agentId, Money budget) {
        return new Portfolio(agentId, budget, Map.of(), Map.of(), Money.zero(budget.currency()));
    }

    public Money reservedCash() {
        Money total = Money.zero(cash.currency());
        if (reservations.isEmpty()) {
            return total;
        }
        for (Reservation r : reservations.values()) {
            total = total.plus(r.cash());
        }
        return total;
    }

    public Money availableCash() {
        return cash.minus(reservedCash());
    }

    public BigDecimal heldQuantity(Symbol symbol) {
        Position p = positions.get(symbol);
        return p == null ? BigDecimal.ZERO : p.quantity().value();
    }

    public BigDecimal reservedQuantity(Symbol symbol) {
        BigDecimal total = BigDecimal.ZERO;
        for (Reservation r : reservations.values()) {
            if (r.symbol().equals(symbol) && r.quantity().isPresent()) {
                total = total.add(r.quantity().get().value());
            }
        }
        return total;
    }

    public BigDecimal availableQuantity(Symbol symbol) {
        return heldQuantity(symbol).subtract(reservedQuantity(symbol));
    }

    public Optional<Position> position(Symbol symbol) {
        return Optional.ofNullable(positions.get(symbol));
    }

    /** Whether this trade could be executed (or reserved) now; trades already reserved count as covered. */
    public boolean canCover(Trade trade) {
        if (reservations.containsKey(trade.id())) {
            return true;
        }
        return trade.isBuy()
                ? availableCash().compareTo(trade.amount()) >= 0
                : availableQuantity(trade.symbol()).compareTo(trade.quantity().value()) >= 0;
    }

    /** Holds back cash (buy) or units (sell) for a trade awaiting approval. */
    public Portfolio reserve(Trade trade) {
        if (reservations.containsKey(trade.id())) {
            return this;
        }
        requireCovered(trade);
        Map<TradeId, Reservation> next = new LinkedHashMap<>(reservations);
        next.put(trade.id(), Reservation.of(trade));
        return new Portfolio(agentId, cash, positions, next, realizedPnL);
    }

    /** Gives back what a trade held; a no-op when it held nothing (already released). */
    public Portfolio release(TradeId tradeId) {
        if (!reservations.containsKey(tradeId)) {
            return this;
        }
        Map<TradeId, Reservation> next = new LinkedHashMap<>(reservations);
        next.remove(tradeId);
        return new Portfolio(agentId, cash, positions, next, realizedPnL);
    }

    public boolean holdsReservationFor(TradeId tradeId) {
        return reservations.containsKey(tradeId);
    }

    /**
     * Applies an execution: releases the trade's reservation if any, then moves cash and units.
     * Refuses (IllegalStateException) what the portfolio cannot cover - callers check
     * {@link #canCover} first and return an outcome.
     */
    public Portfolio apply(Trade trade) {
        requireCovered(trade);
        Portfolio released = release(trade.id());
        return trade.isBuy() ? released.buy(trade) : released.sell(trade);
    }

    private Portfolio buy(Trade trade) {
        Map<Symbol, Position> next = new TreeMap<>(positions);
        Position existing = next.get(trade.symbol());
        next.put(trade.symbol(), existing == null
                ? new Position(trade.symbol(), trade.quantity(), trade.amount(), trade.price())
                : existing.add(trade.quantity(), trade.amount(), trade.price()));
        return new Portfolio(agentId, cash.minus(trade.amount()), next, reservations, realizedPnL);
    }

    private Portfolio sell(Trade trade) {
        Position existing = positions.get(trade.symbol());
        Money cost = existing.costOf(trade.quantity());
        Map<Symbol, Position> next = new TreeMap<>(positions);
        existing.remove(trade.quantity(), trade.price())
                .ifPresentOrElse(left -> next.put(trade.symbol(), left), () -> next.remove(trade.symbol()));
        Money realized = trade.amount().minus(cost);
        return new Portfolio(agentId, cash.plus(trade.amount()), next, reservations, realizedPnL.plus(realized));
    }

    private void requireCovered(Trade trade) {
        if (!agentId.equals(trade.agentId())) {
            throw new IllegalArgumentException("trade " + trade.id() + " belongs to another agent");
        }
        if (!canCover(trade)) {
            throw new IllegalStateException(trade.isBuy() ? "insufficient funds" : "insufficient position");
        }
    }

    /**
     * Values the portfolio at current prices; a symbol without a market price is valued at the
     * agent's last execution price in it.
     */
    public PortfolioValuation valueAt(Function<Symbol, Optional<Price>> marketPrice) {
        Money unrealized = Money.zero(cash.currency());
        Money positionsValue = Money.zero(cash.currency());
        java.util.List<PortfolioValuation.PositionValue> values = new java.util.ArrayList<>();
        for (Position p : new TreeMap<>(positions).values()) {
            Price current = marketPrice.apply(p.symbol()).orElse(p.lastPrice());
            Money market = p.marketValue(current);
            Money pnl = market.minus(p.costBasis());
            values.add(new PortfolioValuation.PositionValue(p.symbol(), p.quantity(), p.averagePrice(), current, market, pnl));
            unrealized = unrealized.plus(pnl);
            positionsValue = positionsValue.plus(market);
        }
        return new PortfolioValuation(agentId, cash, reservedCash(), availableCash(), values, realizedPnL, unrealized,
                cash.plus(positionsValue));
    }
}
