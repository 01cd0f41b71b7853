package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AAPL;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.MSFT;
import static org.tradingdemo.domain.model.ModelTestData.OTHER_AGENT;
import static org.tradingdemo.domain.model.ModelTestData.T1;
import static org.tradingdemo.domain.model.ModelTestData.buy;
import static org.tradingdemo.domain.model.ModelTestData.sell;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortfolioTest {

    private static Portfolio open(String budget) {
        return Portfolio.open(AGENT, Money.usd(budget));
    }

    private static Position position(Portfolio p, Symbol symbol) {
        return p.position(symbol).orElseThrow(() -> new AssertionError("no position in " + symbol));
    }

    private static void assertDecimal(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void opensWithTheBudgetAsCashAndNothingElse() {
        Portfolio p = open("10000");
        assertEquals(AGENT, p.agentId());
        assertEquals(Money.usd("10000.00"), p.cash());
        assertEquals(Money.usd("10000.00"), p.availableCash());
        assertEquals(Money.zero(Money.USD), p.reservedCash());
        assertEquals(Money.zero(Money.USD), p.realizedPnL());
        assertTrue(p.positions().isEmpty());
        assertTrue(p.reservations().isEmpty());
        assertEquals(Optional.empty(), p.position(AAPL));
        assertDecimal("0", p.heldQuantity(AAPL));
        assertDecimal("0", p.availableQuantity(AAPL));
    }

    @Test
    void refusesNegativeCash() {
        assertThrows(IllegalArgumentException.class,
                () -> new Portfolio(AGENT, Money.usd("-0.01"), Map.of(), Map.of(), Money.zero(Money.USD)));
    }

    @Test
    void isImmutable() {
        Portfolio p = open("10000");
        Portfolio after = p.apply(buy("t1", "10", "100"));
        assertEquals(Money.usd("10000.00"), p.cash());
        assertTrue(p.positions().isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> after.positions().clear());
        assertThrows(UnsupportedOperationException.class, () -> after.reservations().clear());
    }

    @Nested
    class Buying {

        @Test
        void buyReducesCashAndOpensAPosition() {
            Portfolio p = open("10000").apply(buy("t1", "10", "150"));
            assertEquals(Money.usd("8500.00"), p.cash());
            assertEquals(Money.usd("8500.00"), p.availableCash());
            Position pos = position(p, AAPL);
            assertEquals(Quantity.of(10), pos.quantity());
            assertEquals(Money.usd("1500.00"), pos.costBasis());
            assertDecimal("150", pos.averagePrice());
            assertEquals(Price.of(150), pos.lastPrice());
            assertEquals(Money.zero(Money.USD), p.realizedPnL());
        }

        @Test
        void twoBuysAtDifferentPricesGiveTheWeightedAverageCost() {
            Portfolio p = open("10000")
                    .apply(buy("t1", "10", "100"))
                    .apply(buy("t2", "30", "120"));
            Position pos = position(p, AAPL);
            assertEquals(Quantity.of(40), pos.quantity());
            assertEquals(Money.usd("4600.00"), pos.costBasis());
            assertDecimal("115", pos.averagePrice()); // (1000 + 3600) / 40, not the simple mean 110
            assertEquals(Price.of(120), pos.lastPrice());
            assertEquals(Money.usd("5400.00"), p.cash());
        }

        @Test
        void averagePriceIsRoundedHalfEvenToEightDecimals() {
            Portfolio p = open("10000").apply(buy("t1", "3", "33.333")); // 99.999 -> 100.00
            Position pos = position(p, AAPL);
            assertEquals(Money.usd("100.00"), pos.costBasis());
            assertDecimal("33.33333333", pos.averagePrice());
        }

        @Test
        void averagePriceIsAPlainDecimalWithoutExponent() {
            Position pos = position(open("10000").apply(buy("t1", "10", "100")), AAPL);
            assertEquals(new BigDecimal("100"), pos.averagePrice());
            assertEquals("100", pos.averagePrice().toString());
        }

        @Test
        void buyingWithExactlyTheAvailableCashIsAllowed() {
            Portfolio p = open("1000");
            Trade all = buy("t1", "10", "100");
            assertTrue(p.canCover(all));
            Portfolio after = p.apply(all);
            assertEquals(Money.zero(Money.USD), after.cash());
        }

        @Test
        void insufficientFundsAreRefused() {
            Portfolio p = open("1000");
            Trade tooBig = buy("t1", "1", "1000.01");
            assertFalse(p.canCover(tooBig));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.apply(tooBig));
            assertEquals("insufficient funds", e.getMessage());
        }

        @Test
        void positionsAreKeptPerSymbol() {
            Portfolio p = open("10000")
                    .apply(buy("t1", AAPL, "10", "100"))
                    .apply(buy("t2", MSFT, "2", "300"));
            assertEquals(Money.usd("1000.00"), position(p, AAPL).costBasis());
            assertEquals(Money.usd("600.00"), position(p, MSFT).costBasis());
            assertEquals(Money.usd("8400.00"), p.cash());
        }

        @Test
        void tradesOfAnotherAgentAreRefused() {
            Portfolio p = open("10000");
            Trade foreign = ModelTestData.trade("t9", OTHER_AGENT, AAPL, Side.BUY, "1", "1");
            assertThrows(IllegalArgumentException.class, () -> p.apply(foreign));
            assertThrows(IllegalArgumentException.class, () -> p.reserve(foreign));
        }
    }

    @Nested
    class Selling {

        private final Portfolio holding = open("10000")
                .apply(buy("b1", "10", "100"))
                .apply(buy("b2", "30", "120")); // 40 units, cost 4600.00, cash 5400.00

        @Test
        void partialSellRealisesProceedsMinusProportionalCost() {
            Portfolio p = holding.apply(sell("s1", "10", "130"));
            // proceeds 1300.00; cost 4600 × 10/40 = 1150.00
            assertEquals(Money.usd("150.00"), p.realizedPnL());
            assertEquals(Money.usd("6700.00"), p.cash());
            Position left = position(p, AAPL);
            assertEquals(Quantity.of(30), left.quantity());
            assertEquals(Money.usd("3450.00"), left.costBasis());
            assertDecimal("115", left.averagePrice());
            assertEquals(Price.of(130), left.lastPrice());
        }

        @Test
        void fullSellRemovesThePositionAndRealisesExactlyProceedsMinusTotalCost() {
            Portfolio p = holding.apply(sell("s1", "10", "130")).apply(sell("s2", "30", "90"));
            assertEquals(Optional.empty(), p.position(AAPL));
            assertFalse(p.positions().containsKey(AAPL));
            // (1300 + 2700) − 4600
            assertEquals(Money.usd("-600.00"), p.realizedPnL());
            assertEquals(Money.usd("9400.00"), p.cash());
        }

        @Test
        void roundingOfPartialCostsNeverDriftsOverARoundTrip() {
            Portfolio p = open("10000").apply(buy("b1", "3", "33.333")); // cost 100.00
            Portfolio afterOne = p.apply(sell("s1", "1", "40"));
            assertEquals(Money.usd("6.67"), afterOne.realizedPnL()); // 40.00 − 33.33
            assertEquals(Money.usd("66.67"), position(afterOne, AAPL).costBasis());
            Portfolio afterAll = afterOne.apply(sell("s2", "2", "40"));
            assertEquals(Money.usd("20.00"), afterAll.realizedPnL()); // exactly 120.00 − 100.00
            assertEquals(Money.usd("10020.00"), afterAll.cash());
            assertTrue(afterAll.positions().isEmpty());
        }

        @ParameterizedTest(name = "cost basis {1} of 2 units, sell 1 → cost {2}")
        @CsvSource({
                "0.625, 1.25, 0.62, 0.63",
                "0.875, 1.75, 0.88, 0.87",
                "0.505, 1.01, 0.50, 0.51",
                "0.515, 1.03, 0.52, 0.51"
        })
        void proportionalCostIsRoundedHalfEvenToCents(String price, String basis, String soldCost, String leftCost) {
            Portfolio p = open("10000").apply(buy("b1", "2", price));
            assertEquals(Money.usd(basis), position(p, AAPL).costBasis());
            Portfolio after = p.apply(sell("s1", "1", "1"));
            assertEquals(Money.usd("1.00").minus(Money.usd(soldCost)), after.realizedPnL());
            assertEquals(Money.usd(leftCost), position(after, AAPL).costBasis());
        }

        /**
         * 1000.01 × 100000.00000001 / 200000.00000001 = 500.005000000025…: just above the half cent, so
         * half-even to cents gives 500.01. Rounding to 10 decimals first would land exactly on 500.005 and
         * then round to the even 500.00.
         */
        @Test
        void proportionalCostIsRoundedOnceFromTheExactQuotient() {
            Portfolio p = open("10000").apply(buy("b1", "200000.00000001", "0.00500005"));
            assertEquals(Money.usd("1000.01"), position(p, AAPL).costBasis());
            Portfolio after = p.apply(sell("s1", "100000.00000001", "0.006")); // proceeds 600.00
            assertEquals(Money.usd("-500.01").plus(Money.usd("600.00")), after.realizedPnL());
            assertEquals(Money.usd("500.00"), position(after, AAPL).costBasis());
        }

        @Test
        void sellingAtALossRealisesANegativeResult() {
            Portfolio p = open("10000").apply(buy("b1", "10", "100")).apply(sell("s1", "4", "90"));
            assertEquals(Money.usd("-40.00"), p.realizedPnL());
            assertEquals(Money.usd("600.00"), position(p, AAPL).costBasis());
        }

        @Test
        void sellingWithoutAPositionIsRefused() {
            Portfolio p = open("10000");
            Trade s = sell("s1", "1", "100");
            assertFalse(p.canCover(s));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.apply(s));
            assertEquals("insufficient position", e.getMessage());
        }

        @Test
        void sellingMoreThanHeldIsRefused_noShorting() {
            Trade s = sell("s1", "40.00000001", "100");
            assertFalse(holding.canCover(s));
            assertThrows(IllegalStateException.class, () -> holding.apply(s));
            assertTrue(holding.canCover(sell("s2", "40", "100")));
        }

        @Test
        void sellingOneSymbolDoesNotTouchAnother() {
            Portfolio p = holding.apply(buy("m1", MSFT, "1", "300")).apply(sell("s1", MSFT, "1", "310"));
            assertEquals(Optional.empty(), p.position(MSFT));
            assertEquals(Quantity.of(40), position(p, AAPL).quantity());
            assertEquals(Money.usd("10.00"), p.realizedPnL());
        }
    }

    @Nested
    class Reservations {

        @Test
        void reservingABuyHoldsCashWithoutSpendingIt() {
            Trade b = buy("t1", "10", "100");
            Portfolio p = open("10000").reserve(b);
            assertEquals(Money.usd("10000.00"), p.cash());
            assertEquals(Money.usd("1000.00"), p.reservedCash());
            assertEquals(Money.usd("9000.00"), p.availableCash());
            assertTrue(p.holdsReservationFor(b.id()));
            assertTrue(p.positions().isEmpty());
            assertEquals(new Reservation(b.id(), Side.BUY, AAPL, Money.usd("1000.00"), Optional.empty()),
                    p.reservations().get(b.id()));
        }

        @Test
        void reservedCashIsNotAvailableToOtherBuys() {
            Portfolio p = open("10000").reserve(buy("t1", "10", "100"));
            assertTrue(p.canCover(buy("t2", "1", "9000")));
            Trade tooBig = buy("t3", "1", "9000.01");
            assertFalse(p.canCover(tooBig));
            assertThrows(IllegalStateException.class, () -> p.apply(tooBig));
            assertThrows(IllegalStateException.class, () -> p.reserve(tooBig));
        }

        @Test
        void reservingASellHoldsUnits() {
            Portfolio held = open("10000").apply(buy("b1", "10", "100"));
            Trade s = sell("s1", "6", "110");
            Portfolio p = held.reserve(s);
            assertDecimal("10", p.heldQuantity(AAPL));
            assertDecimal("6", p.reservedQuantity(AAPL));
            assertDecimal("4", p.availableQuantity(AAPL));
            assertEquals(Money.zero(Money.USD), p.reservedCash());
            assertEquals(p.cash(), p.availableCash());
            assertEquals(Quantity.of(10), position(p, AAPL).quantity());
        }

        @Test
        void reservedUnitsCannotBeSoldTwice() {
            Portfolio p = open("10000").apply(buy("b1", "10", "100")).reserve(sell("s1", "6", "110"));
            Trade other = sell("s2", "5", "110");
            assertFalse(p.canCover(other));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.apply(other));
            assertEquals("insufficient position", e.getMessage());
            assertThrows(IllegalStateException.class, () -> p.reserve(other));
            assertTrue(p.canCover(sell("s3", "4", "110")));
        }

        @Test
        void releaseRestoresAndASecondReleaseIsANoOp() {
            Portfolio start = open("10000").apply(buy("b1", "10", "100"));
            Trade b = buy("t1", "10", "100");
            Trade s = sell("s1", "6", "110");
            Portfolio reserved = start.reserve(b).reserve(s);
            assertEquals(Money.usd("8000.00"), reserved.availableCash());
            assertDecimal("4", reserved.availableQuantity(AAPL));

            Portfolio released = reserved.release(b.id()).release(s.id());
            assertEquals(start, released);
            assertEquals(Money.usd("9000.00"), released.availableCash());
            assertDecimal("10", released.availableQuantity(AAPL));

            assertSame(released, released.release(b.id()));
            assertSame(released, released.release(TradeId.of("never-reserved")));
        }

        @Test
        void reservingTheSameTradeTwiceHoldsOnce() {
            Trade b = buy("t1", "10", "100");
            Portfolio once = open("10000").reserve(b);
            assertSame(once, once.reserve(b));
            assertEquals(Money.usd("1000.00"), once.reservedCash());
        }

        @Test
        void reservedTradesCountAsCovered() {
            Trade b = buy("t1", "1", "1000");
            Portfolio p = open("1000").reserve(b);
            assertEquals(Money.zero(Money.USD), p.availableCash());
            assertTrue(p.canCover(b));
            assertFalse(p.canCover(buy("t2", "1", "0.01")));
        }

        @Test
        void applyingAReservedBuyConsumesItsReservation() {
            Trade b = buy("t1", "10", "100");
            Portfolio p = open("10000").reserve(b).apply(b.awaitApproval("q1").execute(T1));
            assertFalse(p.holdsReservationFor(b.id()));
            assertEquals(Money.zero(Money.USD), p.reservedCash());
            assertEquals(Money.usd("9000.00"), p.cash());
            assertEquals(Money.usd("9000.00"), p.availableCash());
            assertEquals(Quantity.of(10), position(p, AAPL).quantity());
        }

        @Test
        void applyingAReservedBuyOfAllCashWorks() {
            Trade b = buy("t1", "1", "1000");
            Portfolio p = open("1000").reserve(b).apply(b);
            assertEquals(Money.zero(Money.USD), p.cash());
            assertTrue(p.reservations().isEmpty());
        }

        @Test
        void applyingAReservedSellConsumesItsReservation() {
            Trade s = sell("s1", "6", "110");
            Portfolio p = open("10000").apply(buy("b1", "10", "100")).reserve(s).apply(s);
            assertFalse(p.holdsReservationFor(s.id()));
            assertDecimal("0", p.reservedQuantity(AAPL));
            assertDecimal("4", p.availableQuantity(AAPL));
            assertEquals(Money.usd("60.00"), p.realizedPnL()); // 660 − 600
        }

        @Test
        void otherReservationsSurviveAnExecution() {
            Trade b1 = buy("t1", "10", "100");
            Trade b2 = buy("t2", "5", "100");
            Portfolio p = open("10000").reserve(b1).reserve(b2).apply(b1);
            assertTrue(p.holdsReservationFor(b2.id()));
            assertEquals(Money.usd("500.00"), p.reservedCash());
            assertEquals(Money.usd("9000.00"), p.cash());
            assertEquals(Money.usd("8500.00"), p.availableCash());
        }

        @Test
        void reservationOfASellMustHoldAQuantity() {
            assertThrows(IllegalArgumentException.class,
                    () -> new Reservation(TradeId.of("s"), Side.SELL, AAPL, Money.zero(Money.USD), Optional.empty()));
            Reservation r = Reservation.of(sell("s1", "2", "10"));
            assertEquals(Optional.of(Quantity.of(2)), r.quantity());
            assertEquals(Money.zero(Money.USD), r.cash());
        }
    }

    @Nested
    class Valuation {

        private final Portfolio p = open("10000")
                .apply(buy("b1", AAPL, "10", "100"))   // cost 1000.00
                .apply(buy("b2", MSFT, "2", "50"));    // cost 100.00; cash 8900.00

        @Test
        void valuesAtMarketPricesAndFallsBackToLastPrice() {
            PortfolioValuation v = p.valueAt(s -> s.equals(AAPL) ? Optional.of(Price.of(110)) : Optional.empty());
            assertEquals(AGENT, v.agentId());
            assertEquals(2, v.positions().size());
            PortfolioValuation.PositionValue aapl = v.positions().get(0);
            PortfolioValuation.PositionValue msft = v.positions().get(1);
            assertEquals(AAPL, aapl.symbol());
            assertEquals(Price.of(110), aapl.currentPrice());
            assertEquals(Money.usd("1100.00"), aapl.marketValue());
            assertEquals(Money.usd("100.00"), aapl.unrealizedPnL());
            assertDecimal("100", aapl.averagePrice());
            assertEquals(Quantity.of(10), aapl.quantity());
            assertEquals(MSFT, msft.symbol());
            assertEquals(Price.of(50), msft.currentPrice(), "no market price: the last execution price");
            assertEquals(Money.usd("100.00"), msft.marketValue());
            assertEquals(Money.zero(Money.USD), msft.unrealizedPnL());
        }

        @Test
        void totalValueIsCashPlusMarketValue() {
            PortfolioValuation v = p.valueAt(s -> Optional.of(s.equals(AAPL) ? Price.of(90) : Price.of(75)));
            // 8900 + 900 + 150
            assertEquals(Money.usd("8900.00"), v.cash());
            assertEquals(Money.usd("9950.00"), v.totalValue());
            assertEquals(Money.usd("-50.00"), v.unrealizedPnL()); // −100 + 50
            assertEquals(Money.zero(Money.USD), v.realizedPnL());
        }

        @Test
        void reservedCashIsStillPartOfTheTotal() {
            Portfolio reserved = p.reserve(buy("t9", "1", "500"));
            PortfolioValuation v = reserved.valueAt(s -> Optional.empty());
            assertEquals(Money.usd("8900.00"), v.cash());
            assertEquals(Money.usd("500.00"), v.reservedCash());
            assertEquals(Money.usd("8400.00"), v.availableCash());
            assertEquals(Money.usd("10000.00"), v.totalValue());
        }

        @Test
        void fallbackIsTheLatestExecutionPrice() {
            Portfolio q = open("10000").apply(buy("b1", "10", "100")).apply(buy("b2", "10", "120"));
            PortfolioValuation v = q.valueAt(s -> Optional.empty());
            assertEquals(Money.usd("2400.00"), v.positions().get(0).marketValue());
            assertEquals(Money.usd("200.00"), v.unrealizedPnL()); // 2400 − 2200
        }

        @Test
        void marketValueIsRoundedHalfEvenToCents() {
            Portfolio q = open("10000").apply(buy("b1", "3", "33.333"));
            PortfolioValuation v = q.valueAt(s -> Optional.of(Price.of("0.125")));
            assertEquals(Money.usd("0.38"), v.positions().get(0).marketValue()); // 0.375 -> 0.38
            assertEquals(Money.usd("-99.62"), v.unrealizedPnL());
        }

        @Test
        void realizedPnLIsReported() {
            Portfolio q = p.apply(sell("s1", AAPL, "5", "120"));
            PortfolioValuation v = q.valueAt(s -> Optional.empty());
            assertEquals(Money.usd("100.00"), v.realizedPnL()); // 600 − 500
            assertEquals(List.of(AAPL, MSFT), v.positions().stream().map(PortfolioValuation.PositionValue::symbol).toList());
        }

        @Test
        void emptyPortfolioIsWorthItsCash() {
            PortfolioValuation v = open("5000").valueAt(s -> Optional.of(Price.of(1)));
            assertEquals(Money.usd("5000.00"), v.totalValue());
            assertEquals(Money.zero(Money.USD), v.unrealizedPnL());
            assertTrue(v.positions().isEmpty());
        }
    }
}
