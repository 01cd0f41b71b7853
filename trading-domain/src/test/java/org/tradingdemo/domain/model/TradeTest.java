package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AAPL;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.T1;
import static org.tradingdemo.domain.model.ModelTestData.T2;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TradeTest {

    private static final TradeId ID = TradeId.of("trade-1");

    private static Trade pending() {
        return Trade.submit(ID, AGENT, Optional.of(ClientOrderId.of("co-1")), AAPL, Side.BUY, Quantity.of(10),
                Price.of(150), OrderType.LIMIT, T0);
    }

    private static Trade in(TradeStatus status) {
        Trade t = pending();
        return switch (status) {
            case PENDING -> t;
            case PENDING_APPROVAL -> t.awaitApproval("res-1");
            case EXECUTED -> t.execute(T1);
            case CANCELLED -> t.cancel("withdrawn", T1);
            case REJECTED -> t.reject("denied", T1);
            case FAILED -> t.fail("broker down", T1);
        };
    }

    /** The method that moves a trade to {@code target}; no method moves a trade back to pending. */
    private static Trade moveVia(Trade t, TradeStatus target) {
        return switch (target) {
            case PENDING -> throw new AssertionError("no method moves a trade to pending");
            case PENDING_APPROVAL -> t.awaitApproval("res-2");
            case EXECUTED -> t.execute(T2);
            case CANCELLED -> t.cancel("why", T2);
            case REJECTED -> t.reject("why", T2);
            case FAILED -> t.fail("why", T2);
        };
    }

    // ---------------------------------------------------------------- amount

    @ParameterizedTest(name = "{0} × {1} = {2}")
    @CsvSource({
            "10, 150, 1500.00",
            "10.00, 150.00, 1500.00",
            "3, 0.333, 1.00",
            "1, 0.125, 0.12",
            "1, 0.135, 0.14",
            "1, 0.375, 0.38",
            "0.5, 0.25, 0.12",
            "0.5, 0.75, 0.38",
            "2.5, 0.01, 0.02",
            "3, 0.015, 0.04",
            "1, 0.015, 0.02",
            "1, 0.0051, 0.01",
            "7, 0.00145, 0.01",
            "0.00000001, 100000000, 1.00",
            "1000000000, 0.00000001, 10.00",
            "0.1, 0.2, 0.02",
            "3, 33.333, 100.00",
            "1, 50000.01, 50000.01",
            "0.12345678, 98765.4321, 12193.26"
    })
    void amountIsQuantityTimesPriceRoundedHalfEvenToCents(String quantity, String price, String expected) {
        assertEquals(Money.usd(expected), Trade.amountOf(Quantity.of(quantity), Price.of(price)));
        Trade trade = Trade.submit(ID, AGENT, Optional.empty(), AAPL, Side.BUY, Quantity.of(quantity), Price.of(price),
                OrderType.MARKET, T0);
        assertEquals(Money.usd(expected), trade.amount());
    }

    @ParameterizedTest(name = "{0} × {1} rounds to 0.00")
    @CsvSource({
            "1, 0.004",
            "1, 0.005",
            "3, 0.001",
            "0.00000001, 1",
            "0.5, 0.01",
            "1000, 0.000005"
    })
    void refusesAnOrderWhoseAmountRoundsToZero(String quantity, String price) {
        assertEquals(Money.zero(Money.USD), Trade.amountOf(Quantity.of(quantity), Price.of(price)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trade.submit(ID, AGENT, Optional.empty(), AAPL, Side.SELL, Quantity.of(quantity), Price.of(price),
                        OrderType.LIMIT, T0));
        assertEquals("quantity × price must be at least 0.01", e.getMessage());
    }

    @Test
    void refusesAnAmountBeyondTheMoneyRange() {
        assertThrows(IllegalArgumentException.class,
                () -> Trade.submit(ID, AGENT, Optional.empty(), AAPL, Side.BUY, Quantity.of(1_000_000_000),
                        Price.of(1_000_000_000), OrderType.LIMIT, T0));
    }

    // ---------------------------------------------------------------- submit

    @Test
    void submitCreatesAPendingOrder() {
        Trade t = pending();
        assertEquals(ID, t.id());
        assertEquals(AGENT, t.agentId());
        assertEquals(Optional.of(ClientOrderId.of("co-1")), t.clientOrderId());
        assertEquals(AAPL, t.symbol());
        assertEquals(Side.BUY, t.side());
        assertTrue(t.isBuy());
        assertEquals(Quantity.of(10), t.quantity());
        assertEquals(Price.of(150), t.price());
        assertEquals(OrderType.LIMIT, t.type());
        assertEquals(TradeStatus.PENDING, t.status());
        assertEquals(Money.usd("1500.00"), t.amount());
        assertEquals(T0, t.submittedAt());
        assertEquals(Optional.empty(), t.executedAt());
        assertEquals(Optional.empty(), t.cancelledAt());
        assertEquals(Optional.empty(), t.reason());
        assertEquals(Optional.empty(), t.quotaReservation());
        assertTrue(t.isOpen());
    }

    @Test
    void constructorNormalisesNullOptionals() {
        Trade t = new Trade(ID, AGENT, null, AAPL, Side.SELL, Quantity.of(1), Price.of(1), OrderType.MARKET,
                TradeStatus.PENDING, Money.usd(1), T0, null, null, null, null);
        assertEquals(Optional.empty(), t.clientOrderId());
        assertEquals(Optional.empty(), t.executedAt());
        assertEquals(Optional.empty(), t.cancelledAt());
        assertEquals(Optional.empty(), t.reason());
        assertEquals(Optional.empty(), t.quotaReservation());
        assertFalse(t.isBuy());
    }

    // ---------------------------------------------------------------- transitions

    @ParameterizedTest(name = "{0} -> {1} legal: {2}")
    @CsvSource({
            "PENDING, PENDING, false",
            "PENDING, PENDING_APPROVAL, true",
            "PENDING, EXECUTED, true",
            "PENDING, CANCELLED, true",
            "PENDING, REJECTED, true",
            "PENDING, FAILED, true",
            "PENDING_APPROVAL, PENDING, false",
            "PENDING_APPROVAL, PENDING_APPROVAL, false",
            "PENDING_APPROVAL, EXECUTED, true",
            "PENDING_APPROVAL, CANCELLED, true",
            "PENDING_APPROVAL, REJECTED, true",
            "PENDING_APPROVAL, FAILED, true",
            "EXECUTED, PENDING, false",
            "EXECUTED, PENDING_APPROVAL, false",
            "EXECUTED, EXECUTED, false",
            "EXECUTED, CANCELLED, false",
            "EXECUTED, REJECTED, false",
            "EXECUTED, FAILED, false",
            "CANCELLED, PENDING, false",
            "CANCELLED, PENDING_APPROVAL, false",
            "CANCELLED, EXECUTED, false",
            "CANCELLED, CANCELLED, false",
            "CANCELLED, REJECTED, false",
            "CANCELLED, FAILED, false",
            "REJECTED, PENDING, false",
            "REJECTED, PENDING_APPROVAL, false",
            "REJECTED, EXECUTED, false",
            "REJECTED, CANCELLED, false",
            "REJECTED, REJECTED, false",
            "REJECTED, FAILED, false",
            "FAILED, PENDING, false",
            "FAILED, PENDING_APPROVAL, false",
            "FAILED, EXECUTED, false",
            "FAILED, CANCELLED, false",
            "FAILED, REJECTED, false",
            "FAILED, FAILED, false"
    })
    void transitionTable(TradeStatus from, TradeStatus to, boolean legal) {
        assertEquals(legal, from.canMoveTo(to));
        if (to == TradeStatus.PENDING) {
            return; // no method moves a trade (back) to pending; the enum answer above is the whole rule
        }
        Trade trade = in(from);
        assertEquals(from, trade.status());
        if (legal) {
            Trade next = moveVia(trade, to);
            assertEquals(to, next.status());
            assertEquals(trade.id(), next.id());
            assertEquals(trade.amount(), next.amount());
            assertEquals(trade.quantity(), next.quantity());
            assertEquals(trade.price(), next.price());
            assertEquals(trade.clientOrderId(), next.clientOrderId());
            assertEquals(T0, next.submittedAt());
            assertEquals(from, trade.status(), "the original snapshot is unchanged");
        } else {
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> moveVia(trade, to));
            assertEquals(from.wireName(), e.from());
            assertEquals(to.wireName(), e.to());
            assertEquals("trade cannot move from " + from.wireName() + " to " + to.wireName(), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(TradeStatus.class)
    void openUntilFinal(TradeStatus status) {
        boolean expectedFinal = status != TradeStatus.PENDING && status != TradeStatus.PENDING_APPROVAL;
        assertEquals(expectedFinal, status.isFinal());
        assertEquals(!expectedFinal, in(status).isOpen());
    }

    @ParameterizedTest
    @EnumSource(value = TradeStatus.class, names = {"PENDING", "PENDING_APPROVAL"})
    void executeSetsExecutedAtOnly(TradeStatus from) {
        Trade executed = in(from).execute(T2);
        assertEquals(TradeStatus.EXECUTED, executed.status());
        assertEquals(Optional.of(T2), executed.executedAt());
        assertEquals(Optional.empty(), executed.cancelledAt());
        assertEquals(Optional.empty(), executed.reason());
    }

    @ParameterizedTest
    @CsvSource({
            "PENDING, REJECTED",
            "PENDING, CANCELLED",
            "PENDING, FAILED",
            "PENDING_APPROVAL, REJECTED",
            "PENDING_APPROVAL, CANCELLED",
            "PENDING_APPROVAL, FAILED"
    })
    void closingWithoutExecutionRecordsReasonAndTime(TradeStatus from, TradeStatus to) {
        Trade t = in(from);
        Instant at = T2;
        Trade closed = switch (to) {
            case REJECTED -> t.reject("quota exceeded", at);
            case CANCELLED -> t.cancel("quota exceeded", at);
            case FAILED -> t.fail("quota exceeded", at);
            default -> throw new AssertionError(to);
        };
        assertEquals(to, closed.status());
        assertEquals(Optional.of("quota exceeded"), closed.reason());
        assertEquals(Optional.of(at), closed.cancelledAt());
        assertEquals(Optional.empty(), closed.executedAt());
        assertFalse(closed.isOpen());
    }

    @Test
    void reasonIsClippedTo500Characters() {
        String longReason = "r".repeat(600);
        Trade rejected = pending().reject(longReason, T1);
        assertEquals(500, rejected.reason().orElseThrow().length());
        assertEquals("x".repeat(500), pending().fail("x".repeat(500), T1).reason().orElseThrow());
    }

    // ---------------------------------------------------------------- quota reservation

    @Test
    void quotaReservationIsKeptWhilePendingApproval() {
        Trade waiting = pending().awaitApproval("res-42");
        assertEquals(TradeStatus.PENDING_APPROVAL, waiting.status());
        assertEquals(Optional.of("res-42"), waiting.quotaReservation());
        assertTrue(waiting.isOpen());
        assertEquals(Optional.empty(), waiting.executedAt());
        assertEquals(Optional.empty(), waiting.cancelledAt());
    }

    @Test
    void awaitApprovalWithoutReservationHoldsNone() {
        assertEquals(Optional.empty(), pending().awaitApproval(null).quotaReservation());
    }

    @ParameterizedTest
    @EnumSource(value = TradeStatus.class, names = {"EXECUTED", "REJECTED", "CANCELLED", "FAILED"})
    void quotaReservationIsClearedOnLeavingPendingApproval(TradeStatus to) {
        Trade waiting = pending().awaitApproval("res-42");
        Trade next = moveVia(waiting, to);
        assertEquals(to, next.status());
        assertEquals(Optional.empty(), next.quotaReservation());
    }

    // ---------------------------------------------------------------- same order

    @Test
    void sameOrderComparesCanonicalValues() {
        Trade t = pending();
        assertTrue(t.sameOrderAs(AAPL, Side.BUY, Quantity.of("10.00"), Price.of("150.000"), OrderType.LIMIT));
        assertFalse(t.sameOrderAs(Symbol.of("MSFT"), Side.BUY, Quantity.of(10), Price.of(150), OrderType.LIMIT));
        assertFalse(t.sameOrderAs(AAPL, Side.SELL, Quantity.of(10), Price.of(150), OrderType.LIMIT));
        assertFalse(t.sameOrderAs(AAPL, Side.BUY, Quantity.of(11), Price.of(150), OrderType.LIMIT));
        assertFalse(t.sameOrderAs(AAPL, Side.BUY, Quantity.of(10), Price.of("150.01"), OrderType.LIMIT));
        assertFalse(t.sameOrderAs(AAPL, Side.BUY, Quantity.of(10), Price.of(150), OrderType.MARKET));
    }
}
