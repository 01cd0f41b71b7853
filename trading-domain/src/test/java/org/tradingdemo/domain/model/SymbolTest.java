package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SymbolTest {

    @ParameterizedTest
    @ValueSource(strings = {"AAPL", "BRK.B", "BTC/USD", "A", "X1", "SPY500", "ETH/USDT", "ABCDEFGHIJ", "ABCDEFGHIJ.KLMN"})
    void acceptsTickersWithAtMostOneSuffix(String value) {
        Symbol symbol = Symbol.of(value);
        assertEquals(value, symbol.value());
        assertEquals(value, symbol.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aapl", "Aapl", "brk.b", "btc/usd", "BTC/usd"})
    void refusesLowerCase(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Symbol.of(value));
        assertTrue(e.getMessage().contains("upper-case"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t"})
    void refusesBlank(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Symbol.of(value));
        assertEquals("symbol is required", e.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> Symbol.of(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AA PL", " AAPL", "AAPL ", "BTC / USD", "BRK. B"})
    void refusesSpaces(String value) {
        assertThrows(IllegalArgumentException.class, () -> Symbol.of(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABCDEFGHIJ.KLMNO", "ABCDEFGHIJKLMNOP", "ABCDE/FGHIJKLMNOP"})
    void refusesMoreThanFifteenCharacters(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Symbol.of(value));
        assertEquals("symbol must be at most 15 characters", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BRK..B", "BTC//USD", "A.B.C", "BTC/USD/EUR", "A./B", "A/.B", ".A", "/USD", "A.", "BTC/", "1ABC",
            "AAPL-B", "AAPL_B", "AAPL:B", "ÄPPL"})
    void refusesDoubleSeparatorsAndOtherShapes(String value) {
        assertThrows(IllegalArgumentException.class, () -> Symbol.of(value));
    }

    @Test
    void sortsAlphabetically() {
        List<Symbol> symbols = new ArrayList<>(List.of(Symbol.of("MSFT"), Symbol.of("AAPL"), Symbol.of("BTC/USD")));
        Collections.sort(symbols);
        assertEquals(List.of(Symbol.of("AAPL"), Symbol.of("BTC/USD"), Symbol.of("MSFT")), symbols);
    }
}
