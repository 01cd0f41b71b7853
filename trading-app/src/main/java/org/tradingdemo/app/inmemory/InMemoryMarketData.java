package org.tradingdemo.app.inmemory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.port.MarketDataPort;

/** Prices set by hand (demos, tests, a price simulator); a symbol never set has no price. */
public final class InMemoryMarketData implements MarketDataPort {

    private final Map<Symbol, Price> prices = new ConcurrentHashMap<>();

    public InMemoryMarketData() {
    }

    public InMemoryMarketData(Map<Symbol, Price> initial) {
        prices.putAll(initial);
    }

    public void setPrice(Symbol symbol, Price price) {
        prices.put(Objects.requireNonNull(symbol, "symbol"), Objects.requireNonNull(price, "price"));
    }

    @Override
    public Optional<Price> lastPrice(Symbol symbol) {
        return Optional.ofNullable(prices.get(symbol));
    }
}
