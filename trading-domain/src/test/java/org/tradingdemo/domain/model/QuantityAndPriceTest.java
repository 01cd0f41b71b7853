package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Quantity and Price share one rule set (strictly positive, ≤ 8 decimals, ≤ 1e9, canonical form). */
class QuantityAndPriceTest {

    enum Kind {
        QUANTITY("quantity", v -> new Quantity(v).value()),
        PRICE("price", v -> new Price(v).value());

        final String field;
        final Function<BigDecimal, BigDecimal> create;

        Kind(String field, Function<BigDecimal, BigDecimal> create) {
            this.field = field;
            this.create = create;
        }

        BigDecimal of(String value) {
            return create.apply(new BigDecimal(value));
        }

        IllegalArgumentException refuse(String value) {
            return assertThrows(IllegalArgumentException.class, () -> of(value), field + " " + value);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keepsCanonicalFormSoTenEqualsTenPointZeroZero(Kind kind) {
        assertEquals(kind.of("10"), kind.of("10.00"));
        assertEquals(kind.of("10"), kind.of("1E+1"));
        assertEquals("10", kind.of("10.00").toPlainString());
        assertEquals("10", kind.of("1E+1").toString(), "no scientific notation");
        assertEquals("100", kind.of("100.000").toString(), "no scientific notation");
        assertEquals(0, kind.of("100.000").scale());
        assertEquals("0.5", kind.of("0.50000000").toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsEightDecimalsAndRefusesNine(Kind kind) {
        assertEquals(new BigDecimal("0.00000001"), kind.of("0.00000001"));
        assertEquals(new BigDecimal("1.12345678"), kind.of("1.12345678"));
        assertEquals(new BigDecimal("1"), kind.of("1.000000000"), "trailing zeros are not decimals");
        assertTrue(kind.refuse("0.000000001").getMessage().contains("at most 8 decimals"));
        kind.refuse("1.123456789");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesZeroAndNegative(Kind kind) {
        for (String value : new String[] {"0", "0.00", "-1", "-0.00000001"}) {
            assertTrue(kind.refuse(value).getMessage().contains("must be greater than 0"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsAtMostOneBillion(Kind kind) {
        assertEquals(new BigDecimal("1000000000"), kind.of("1000000000"));
        assertEquals(new BigDecimal("1000000000"), kind.of("1E+9"));
        assertTrue(kind.refuse("1000000000.00000001").getMessage().contains("at most 1000000000"));
        kind.refuse("1000000001");
        kind.refuse("1E+10");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void requiresAValue(Kind kind) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind.create.apply(null));
        assertEquals(kind.field + " is required", e.getMessage());
    }

    @Test
    void quantityEqualityAndHashIgnoreTrailingZeros() {
        assertEquals(Quantity.of(10), Quantity.of("10.00"));
        assertEquals(Quantity.of(10).hashCode(), Quantity.of("10.00").hashCode());
        assertNotEquals(Quantity.of("10.00000001"), Quantity.of("10"));
        assertEquals("10", Quantity.of("10.00").toString());
    }

    @Test
    void priceEqualityAndHashIgnoreTrailingZeros() {
        assertEquals(Price.of(150), Price.of("150.00"));
        assertEquals(Price.of(150).hashCode(), Price.of("150.00").hashCode());
        assertEquals("150", Price.of("150.00").toString());
        assertEquals("0.00000001", Price.of("1E-8").toString());
    }

    @ParameterizedTest
    @CsvSource({"1, 2, -1", "2, 1, 1", "2.0, 2, 0", "0.00000001, 0.00000002, -1"})
    void compares(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(Quantity.of(a).compareTo(Quantity.of(b))));
        assertEquals(sign, Integer.signum(Price.of(a).compareTo(Price.of(b))));
    }

    @Test
    void quantitiesAddUpExactlyWithinTheLimit() {
        assertEquals(Quantity.of("0.3"), Quantity.of("0.1").plus(Quantity.of("0.2")));
        assertEquals(Quantity.of("1000000000"), Quantity.of("999999999.99999999").plus(Quantity.of("0.00000001")));
        assertThrows(IllegalArgumentException.class, () -> Quantity.of("1000000000").plus(Quantity.of("0.00000001")));
    }
}
