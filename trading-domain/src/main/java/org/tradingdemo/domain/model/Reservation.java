package org.tradingdemo.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What a trade awaiting approval holds back: cash for a buy, units for a sell. Keyed by trade, so
 * a release is exact and happens at most once.
 */
public record Reservation(TradeId tradeId, Side side, Symbol symbol, Money cash, Optional<Quantity> quantity) {

    public Reservation {
        Objects.requireNonNull(tradeId, "tradeId");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(cash, "cash");
        quantity = quantity == null ? Optional.empty() : quantity;
        if (side == Side.SELL && quantity.isEmpty()) {
            throw new IllegalArgumentException("a sell reservation holds a quantity");
        }
    }

    public static Reservation of(Trade trade) {
        return trade.isBuy()
                ? new Reservation(trade.id(), Side.BUY, trade.symbol(), trade.amount(), Optional.empty())
                : new Reservation(trade.id(), Side.SELL, trade.symbol(), Money.zero(trade.amount().currency()),
                Optional.of(trade.quantity()));
    }
}
