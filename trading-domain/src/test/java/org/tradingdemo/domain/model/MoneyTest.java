package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void isHeldAtTheMinorUnitSoEqualAmountsAreEqual() {
        Money ten = Money.usd("10");
        assertEquals(Money.usd("10.00"), ten);
        assertEquals(Money.usd(10), ten);
        assertEquals(Money.usd("10.00").hashCode(), ten.hashCode());
        assertEquals(2, ten.amount().scale());
        assertEquals("10.00", ten.amount().toPlainString());
        assertEquals("10.00 USD", ten.toString());
        assertEquals(Money.USD, ten.currency());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.000", "1.0", "1E+3", "1000.0000000"})
    void acceptsTrailingZerosBeyondTheMinorUnit(String amount) {
        Money money = Money.usd(amount);
        assertEquals(2, money.amount().scale());
        assertEquals(0, new BigDecimal(amount).compareTo(money.amount()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.001", "1.005", "999999.999", "-0.001", "0.0000001", "10.125"})
    void refusesMoreDecimalsThanUsdHasInsteadOfRoundingSilently(String amount) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Money.usd(amount));
        assertTrue(e.getMessage().contains("at most 2 decimals"), e.getMessage());
    }

    @Test
    void followsTheMinorUnitOfItsCurrency() {
        Money yen = Money.of(new BigDecimal("100"), JPY);
        assertEquals(0, yen.amount().scale());
        assertThrows(IllegalArgumentException.class, () -> Money.of(new BigDecimal("1.5"), JPY));
        assertEquals(Money.of(new BigDecimal("2"), JPY), Money.rounded(new BigDecimal("1.5"), JPY));
    }

    @Test
    void addsDecimalFractionsExactly() {
        assertEquals(Money.usd("0.30"), Money.usd("0.1").plus(Money.usd("0.2")));
        Money sum = Money.zero(Money.USD);
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(Money.usd("0.10"));
        }
        assertEquals(Money.usd("1.00"), sum);
    }

    @Test
    void holdsCentsOfLargeAmountsExactly() {
        Money almostMillion = Money.usd("999999.99");
        assertEquals("999999.99", almostMillion.amount().toPlainString());
        assertEquals(Money.usd("1000000.00"), almostMillion.plus(Money.usd("0.01")));
        assertEquals(Money.usd("999999.98"), almostMillion.minus(Money.usd("0.01")));
        assertTrue(almostMillion.isLessThan(Money.usd(1_000_000)));
    }

    @Test
    void refusesAbsurdAmounts() {
        assertEquals(Money.MAX_ABS.setScale(2), Money.of(Money.MAX_ABS, Money.USD).amount());
        assertEquals(Money.MAX_ABS.negate().setScale(2), Money.of(Money.MAX_ABS.negate(), Money.USD).amount());
        assertThrows(IllegalArgumentException.class, () -> Money.of(Money.MAX_ABS.add(new BigDecimal("0.01")), Money.USD));
        assertThrows(IllegalArgumentException.class,
                () -> Money.of(Money.MAX_ABS.negate().subtract(new BigDecimal("0.01")), Money.USD));
    }

    @Test
    void requiresAmountAndCurrency() {
        assertThrows(NullPointerException.class, () -> new Money(null, Money.USD));
        assertThrows(NullPointerException.class, () -> new Money(BigDecimal.ONE, null));
    }

    @ParameterizedTest(name = "rounded({0}) = {1}")
    @CsvSource({
            "0.125, 0.12",
            "0.135, 0.14",
            "0.115, 0.12",
            "0.005, 0.00",
            "0.015, 0.02",
            "0.025, 0.02",
            "2.675, 2.68",
            "2.665, 2.66",
            "0.1250001, 0.13",
            "0.999, 1.00",
            "-0.125, -0.12",
            "-0.135, -0.14",
            "7, 7.00"
    })
    void roundsComputedValuesHalfEvenToCents(String value, String expected) {
        Money money = Money.rounded(new BigDecimal(value), Money.USD);
        assertEquals(new BigDecimal(expected), money.amount());
    }

    @ParameterizedTest(name = "{0} × {1} = {2}")
    @CsvSource({
            "10.00, 0.0125, 0.12",
            "10.00, 0.0135, 0.14",
            "1.00, 0.015, 0.02",
            "1.00, 0.025, 0.02",
            "0.10, 3, 0.30",
            "100.00, 0.333, 33.30",
            "33.33, 3, 99.99",
            "1000.00, 0.80, 800.00",
            "1000.01, 0.5, 500.00",
            "1000.03, 0.5, 500.02",
            "-10.00, 0.0125, -0.12"
    })
    void multipliesAndRoundsHalfEven(String amount, String factor, String expected) {
        assertEquals(Money.usd(expected), Money.usd(amount).times(new BigDecimal(factor)));
    }

    @Test
    void refusesArithmeticAcrossCurrencies() {
        Money usd = Money.usd("1.00");
        Money eur = Money.of(BigDecimal.ONE, EUR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> usd.plus(eur));
        assertTrue(e.getMessage().contains("currency mismatch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> usd.minus(eur));
        assertThrows(IllegalArgumentException.class, () -> usd.compareTo(eur));
        assertThrows(IllegalArgumentException.class, () -> usd.isGreaterThan(eur));
        assertThrows(IllegalArgumentException.class, () -> usd.isLessThan(eur));
        assertThrows(IllegalArgumentException.class, () -> usd.max(eur));
        assertNotEquals(usd, eur);
    }

    @Test
    void comparesByAmount() {
        Money small = Money.usd("9.99");
        Money big = Money.usd("10.00");
        assertTrue(small.compareTo(big) < 0);
        assertTrue(big.compareTo(small) > 0);
        assertEquals(0, Money.usd("10").compareTo(big));
        assertTrue(big.isGreaterThan(small));
        assertFalse(big.isGreaterThan(Money.usd("10.00")));
        assertTrue(small.isLessThan(big));
        assertFalse(small.isLessThan(Money.usd("9.99")));
        assertSame(big, big.max(small));
        assertSame(big, small.max(big));
        assertSame(small, big.min(small));
        assertSame(small, small.min(big));

        List<Money> list = new ArrayList<>(List.of(Money.usd("3"), Money.usd("-1"), Money.usd("0.5"), Money.usd("2")));
        Collections.sort(list);
        assertEquals(List.of(Money.usd("-1"), Money.usd("0.5"), Money.usd("2"), Money.usd("3")), list);
    }

    @Test
    void knowsItsSign() {
        assertTrue(Money.usd("-0.01").isNegative());
        assertFalse(Money.usd("-0.01").isZero());
        assertTrue(Money.zero(Money.USD).isZero());
        assertFalse(Money.zero(Money.USD).isPositive());
        assertFalse(Money.zero(Money.USD).isNegative());
        assertTrue(Money.usd("0.01").isPositive());
        assertEquals(Money.usd("-12.34"), Money.usd("12.34").negate());
        assertEquals(Money.usd("-5.00"), Money.usd("5.00").minus(Money.usd("10.00")));
    }
}
