package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Symbol;

class InMemoryMarketDataTest {

    @Test
    void returnsTheLastPriceSetAndNothingForUnknownSymbols() {
        InMemoryMarketData prices = new InMemoryMarketData(Map.of(Symbol.of("AAPL"), Price.of("150.25")));

        prices.setPrice(Symbol.of("BTC/USD"), Price.of("64321.98765432"));
        prices.setPrice(Symbol.of("AAPL"), Price.of("151"));

        assertEquals(Optional.of(Price.of("151")), prices.lastPrice(Symbol.of("AAPL")));
        assertEquals(Optional.of(Price.of("64321.98765432")), prices.lastPrice(Symbol.of("BTC/USD")));
        assertEquals(Optional.empty(), prices.lastPrice(Symbol.of("MSFT")));
    }
}
