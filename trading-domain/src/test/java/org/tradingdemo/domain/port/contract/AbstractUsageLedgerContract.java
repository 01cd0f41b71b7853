package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.port.contract.TestData.volume;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * What every {@link UsageLedger} must do. Subclass once per adapter. Every test meters fresh agents,
 * so {@link #create()} may return a ledger over a shared store.
 *
 * <p>Windows are half-open [from, to) in UTC. Whole UTC days and whole UTC calendar months are the
 * windows of the quota and must be exact at their edges; arbitrary windows must agree with them.
 */
public abstract class AbstractUsageLedgerContract<T extends UsageLedger> {

    /** A leap-year February, so month ends of 31 and 29 days are both crossed. */
    protected static final Instant JAN_31 = Instant.parse("2032-01-31T00:00:00Z");
    protected static final Instant FEB_1 = Instant.parse("2032-02-01T00:00:00Z");
    protected static final Instant FEB_29 = Instant.parse("2032-02-29T00:00:00Z");
    protected static final Instant MAR_1 = Instant.parse("2032-03-01T00:00:00Z");
    protected static final Duration DAY = Duration.ofDays(1);

    protected T ledger;

    /** A ledger to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpLedger() {
        ledger = create();
    }

    @Test
    void appendIsIdempotentByEventId() {
        AgentId agent = TestData.newAgentId();
        UsageRecord record = volume(agent, "100.00", FEB_1.plusSeconds(60));
        UsageRecord sameEventOtherContent = new UsageRecord(record.eventId(), agent, UsageType.TRADE_EXECUTED,
                Money.usd("555.55"), FEB_1.plusSeconds(120), Map.of());

        assertTrue(ledger.append(record));
        assertFalse(ledger.append(record));
        assertFalse(ledger.append(sameEventOtherContent));

        UsageTotals totals = ledger.totals(agent, FEB_1, FEB_1.plus(DAY));
        assertEquals(new UsageTotals.Total(1, Money.usd("100.00")), totals.of(UsageType.TRADE_EXECUTED));
    }

    @Test
    void totalsCountAndSumPerType() {
        AgentId agent = TestData.newAgentId();
        Instant noon = FEB_1.plus(Duration.ofHours(12));
        ledger.append(volume(agent, "1500.00", noon));
        ledger.append(volume(agent, "250.50", noon.plusSeconds(1)));
        ledger.append(TestData.usage(agent, UsageType.AGENT_CREATED, "0", noon));
        ledger.append(TestData.usage(agent, UsageType.API_CALL, "0", noon));
        ledger.append(TestData.usage(agent, UsageType.API_CALL, "0", noon));

        UsageTotals day = ledger.totals(agent, FEB_1, FEB_1.plus(DAY));

        assertEquals(new UsageTotals.Total(2, Money.usd("1750.50")), day.of(UsageType.TRADE_EXECUTED));
        assertEquals(new UsageTotals.Total(1, Money.usd("0")), day.of(UsageType.AGENT_CREATED));
        assertEquals(new UsageTotals.Total(2, Money.usd("0")), day.of(UsageType.API_CALL));
        assertEquals(UsageTotals.Total.ZERO, day.of(UsageType.OVERSIGHT_REQUESTED));
        assertEquals(day, ledger.totals(agent, FEB_1, MAR_1));
        assertEquals(day, ledger.totals(agent, noon, noon.plusSeconds(2)));
    }

    @Test
    void decimalsAreExact() {
        AgentId agent = TestData.newAgentId();
        ledger.append(volume(agent, "0.10", FEB_1));
        ledger.append(volume(agent, "0.20", FEB_1.plusSeconds(1)));
        AgentId big = TestData.newAgentId();
        for (int i = 0; i < 3; i++) {
            ledger.append(volume(big, "999999.99", FEB_1.plusSeconds(i)));
        }

        assertEquals(Money.usd("0.30"), ledger.totals(agent, FEB_1, FEB_1.plus(DAY)).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(Money.usd("0.30"), ledger.totals(agent, FEB_1, MAR_1).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(Money.usd("0.30"), ledger.totals(agent, FEB_1, FEB_1.plusSeconds(2)).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(Money.usd("2999999.97"), ledger.totals(big, FEB_1, FEB_1.plus(DAY)).of(UsageType.TRADE_EXECUTED).amount());
    }

    @Test
    void daysSplitAtMidnightUtc() {
        AgentId agent = TestData.newAgentId();
        Instant midnight = FEB_1.plus(DAY);
        ledger.append(volume(agent, "1.00", midnight.minusMillis(1)));
        ledger.append(volume(agent, "2.00", midnight));
        ledger.append(volume(agent, "4.00", FEB_1));

        assertEquals(Money.usd("5.00"), volumeIn(agent, FEB_1, midnight));
        assertEquals(Money.usd("2.00"), volumeIn(agent, midnight, midnight.plus(DAY)));
        assertEquals(Money.usd("3.00"), volumeIn(agent, midnight.minus(Duration.ofHours(1)), midnight.plus(Duration.ofHours(1))));
        assertEquals(Money.usd("7.00"), volumeIn(agent, FEB_1, midnight.plus(DAY)));
        assertEquals(Money.usd("1.00"), volumeIn(agent, FEB_1.plusMillis(1), midnight));
        assertEquals(3, ledger.totals(agent, FEB_1, midnight.plus(DAY)).of(UsageType.TRADE_EXECUTED).count());
    }

    @Test
    void monthsSplitAtTheMonthEndUtc() {
        AgentId agent = TestData.newAgentId();
        ledger.append(volume(agent, "10.00", JAN_31.plus(DAY).minusNanos(1)));
        ledger.append(volume(agent, "20.00", FEB_1));
        ledger.append(volume(agent, "40.00", FEB_29.plus(Duration.ofHours(23))));
        ledger.append(volume(agent, "80.00", MAR_1));

        assertEquals(Money.usd("10.00"), volumeIn(agent, Instant.parse("2032-01-01T00:00:00Z"), FEB_1));
        assertEquals(Money.usd("60.00"), volumeIn(agent, FEB_1, MAR_1));
        assertEquals(Money.usd("80.00"), volumeIn(agent, MAR_1, Instant.parse("2032-04-01T00:00:00Z")));
        assertEquals(Money.usd("10.00"), volumeIn(agent, JAN_31, FEB_1));
        assertEquals(Money.usd("40.00"), volumeIn(agent, FEB_29, MAR_1));
        assertEquals(Money.usd("30.00"), volumeIn(agent, JAN_31, FEB_1.plus(DAY)));
        assertEquals(Money.usd("150.00"), volumeIn(agent, JAN_31, MAR_1.plus(DAY)));
    }

    @Test
    void windowsAsLongAsADayOrAMonthButNotAlignedToOneAreNotMistakenForIt() {
        AgentId agent = TestData.newAgentId();
        Instant jan15 = Instant.parse("2032-01-15T00:00:00Z");
        Instant feb15 = Instant.parse("2032-02-15T00:00:00Z");
        ledger.append(volume(agent, "1.00", Instant.parse("2032-01-10T00:00:00Z")));
        ledger.append(volume(agent, "2.00", Instant.parse("2032-01-20T00:00:00Z")));
        ledger.append(volume(agent, "4.00", Instant.parse("2032-02-10T00:00:00Z")));
        ledger.append(volume(agent, "8.00", Instant.parse("2032-02-20T00:00:00Z")));
        Instant noon = FEB_1.plus(Duration.ofHours(12));
        ledger.append(volume(agent, "16.00", FEB_1.plus(Duration.ofHours(6))));
        ledger.append(volume(agent, "32.00", noon.plus(Duration.ofHours(18))));

        assertEquals(Money.usd("54.00"), volumeIn(agent, jan15, feb15));
        assertEquals(Money.usd("32.00"), volumeIn(agent, noon, noon.plus(DAY)));
        assertEquals(Money.usd("16.00"), volumeIn(agent, FEB_1.plusNanos(1), FEB_1.plus(DAY).plusNanos(1)));
    }

    @Test
    void otherAgentsAndEmptyWindowsCountNothing() {
        AgentId agent = TestData.newAgentId();
        ledger.append(volume(TestData.newAgentId(), "99.00", FEB_1));

        assertEquals(UsageTotals.empty(), ledger.totals(agent, FEB_1, FEB_1.plus(DAY)));
        assertEquals(UsageTotals.empty(), ledger.totals(agent, FEB_1, MAR_1));
        assertEquals(UsageTotals.empty(), ledger.totals(agent, FEB_1.minusSeconds(5), FEB_1.plusSeconds(5)));
        assertEquals(Money.zero(Money.USD), volumeIn(agent, FEB_1, MAR_1));
    }

    @Test
    void totalsByAgentHasEveryAgentWithUsageInTheWindow() {
        AgentId a = TestData.newAgentId();
        AgentId b = TestData.newAgentId();
        AgentId outside = TestData.newAgentId();
        Instant day2 = FEB_1.plus(DAY);
        ledger.append(volume(a, "1.10", FEB_1.plusSeconds(10)));
        ledger.append(volume(a, "2.20", day2.plusSeconds(10)));
        ledger.append(volume(b, "3.30", day2.minusNanos(1)));
        ledger.append(volume(outside, "4.40", MAR_1));

        Map<AgentId, UsageTotals> day1 = ledger.totalsByAgent(FEB_1, day2);
        Map<AgentId, UsageTotals> month = ledger.totalsByAgent(FEB_1, MAR_1);
        Map<AgentId, UsageTotals> window = ledger.totalsByAgent(FEB_1.plusSeconds(11), day2.plusSeconds(11));

        assertEquals(Money.usd("1.10"), day1.get(a).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(Money.usd("3.30"), day1.get(b).of(UsageType.TRADE_EXECUTED).amount());
        assertFalse(day1.containsKey(outside));
        assertEquals(Money.usd("3.30"), month.get(a).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(new UsageTotals.Total(1, Money.usd("3.30")), month.get(b).of(UsageType.TRADE_EXECUTED));
        assertFalse(month.containsKey(outside));
        assertEquals(Money.usd("2.20"), window.get(a).of(UsageType.TRADE_EXECUTED).amount());
        assertEquals(Money.usd("3.30"), window.get(b).of(UsageType.TRADE_EXECUTED).amount());
        assertFalse(window.containsKey(outside));
        assertEquals(ledger.totals(a, FEB_1, MAR_1), month.get(a));
    }

    protected Money volumeIn(AgentId agent, Instant from, Instant to) {
        return ledger.totals(agent, from, to).of(UsageType.TRADE_EXECUTED).amount();
    }
}
