package org.tradingdemo.domain.port;

import java.util.Optional;

import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Symbol;

/** Current prices, for market orders and portfolio valuation. */
public interface MarketDataPort {

    Optional<Price> lastPrice(Symbol symbol);
}
