package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WireNameTest {

    @Test
    void wireNamesAreLowerCase() {
        assertEquals("pending_approval", TradeStatus.PENDING_APPROVAL.wireName());
        assertEquals("buy", Side.BUY.wireName());
        assertEquals("trade_executed", UsageType.TRADE_EXECUTED.wireName());
        assertEquals("oversight_requested", UsageType.OVERSIGHT_REQUESTED.wireName());
        assertEquals("conservative", Strategy.CONSERVATIVE.wireName());
    }

    @ParameterizedTest
    @CsvSource({"buy, BUY", "BUY, BUY", "Buy, BUY", "' sell ', SELL", "sElL, SELL"})
    void parsesCaseInsensitivelyAndTrims(String input, Side expected) {
        assertEquals(expected, Side.parse(input));
    }

    @ParameterizedTest
    @EnumSource(TradeStatus.class)
    void tradeStatusRoundTrips(TradeStatus status) {
        assertEquals(status, TradeStatus.parse(status.wireName()));
        assertEquals(status, TradeStatus.parse(status.wireName().toUpperCase(Locale.ROOT)));
    }

    @ParameterizedTest
    @EnumSource(AgentStatus.class)
    void agentStatusRoundTrips(AgentStatus status) {
        assertEquals(status, AgentStatus.parse(status.wireName()));
    }

    @ParameterizedTest
    @EnumSource(OversightStatus.class)
    void oversightStatusRoundTrips(OversightStatus status) {
        assertEquals(status, OversightStatus.parse(status.wireName()));
    }

    @Test
    void everyEnumParsesItsOwnWireNames() {
        for (Strategy v : Strategy.values()) {
            assertEquals(v, Strategy.parse(v.wireName()));
        }
        for (RiskTolerance v : RiskTolerance.values()) {
            assertEquals(v, RiskTolerance.parse(v.wireName()));
        }
        for (RiskLevel v : RiskLevel.values()) {
            assertEquals(v, RiskLevel.parse(v.wireName()));
        }
        for (OrderType v : OrderType.values()) {
            assertEquals(v, OrderType.parse(v.wireName()));
        }
        for (AlertSeverity v : AlertSeverity.values()) {
            assertEquals(v, AlertSeverity.parse(v.wireName()));
        }
        for (UsagePeriod v : UsagePeriod.values()) {
            assertEquals(v, UsagePeriod.parse(v.wireName()));
        }
        for (UsageType v : UsageType.values()) {
            assertEquals(v, UsageType.parse(v.wireName()));
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"hold", "pending-approval", "pendingapproval", " ", "buy!"})
    void refusalListsTheAllowedValues(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TradeStatus.parse(input));
        assertEquals("status must be one of: pending, pending_approval, executed, cancelled, rejected, failed",
                e.getMessage());
    }

    @Test
    void refusalNamesTheField() {
        assertEquals("side must be one of: buy, sell",
                assertThrows(IllegalArgumentException.class, () -> Side.parse("hold")).getMessage());
        assertEquals("strategy must be one of: conservative, balanced, aggressive",
                assertThrows(IllegalArgumentException.class, () -> Strategy.parse("yolo")).getMessage());
        assertEquals("riskTolerance must be one of: low, medium, high",
                assertThrows(IllegalArgumentException.class, () -> RiskTolerance.parse("extreme")).getMessage());
        assertEquals("type must be one of: market, limit",
                assertThrows(IllegalArgumentException.class, () -> OrderType.parse("stop")).getMessage());
        assertEquals("period must be one of: daily, monthly",
                assertThrows(IllegalArgumentException.class, () -> UsagePeriod.parse("weekly")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentStatus.parse("deleted")).getMessage()
                .endsWith("active, suspended, terminated"));
    }
}
