package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.contract.AbstractUsageLedgerContract;
import org.tradingdemo.domain.port.contract.TestData;

class InMemoryUsageLedgerTest extends AbstractUsageLedgerContract<InMemoryUsageLedger> {

    private final InMemoryTransactions transactions = new InMemoryTransactions();

    @Override
    protected InMemoryUsageLedger create() {
        return new InMemoryUsageLedger(transactions);
    }

    @Test
    void theSameEventStagedByTwoUnitsIsCountedOnce() {
        AgentId agent = TestData.newAgentId();
        UsageRecord record = TestData.volume(agent, "10.00", FEB_1);

        transactions.run(() -> {
            assertTrue(ledger.append(record));
            // another unit commits the same event first; this unit's copy is dropped at commit
            assertTrue(CompletableFuture.supplyAsync(() -> transactions.inTransaction(() -> ledger.append(record))).join());
            assertEquals(Money.usd("10.00"), volumeIn(agent, FEB_1, FEB_1.plus(DAY)));
        });

        assertEquals(new UsageTotals.Total(1, Money.usd("10.00")),
                ledger.totals(agent, FEB_1, FEB_1.plus(DAY)).of(UsageType.TRADE_EXECUTED));
    }

    @Test
    void keptDailyAndMonthlyTotalsAgreeWithScans() {
        AgentId agent = TestData.newAgentId();
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Instant at = FEB_1.minus(Duration.ofDays(3)).plusMillis(random.nextLong(Duration.ofDays(35).toMillis()));
            Money amount = Money.usd(random.nextInt(100_000)).times(new BigDecimal("0.01"));
            ledger.append(new UsageRecord(TestData.unique("evt"), agent, UsageType.TRADE_EXECUTED, amount, at, Map.of()));
        }

        for (Instant day = FEB_1.minus(Duration.ofDays(3)); day.isBefore(MAR_1.plus(DAY)); day = day.plus(DAY)) {
            Instant noon = day.plus(Duration.ofHours(12));
            // two half-day windows are scans; the whole day comes from the kept total
            assertEquals(ledger.totals(agent, day, noon).plus(ledger.totals(agent, noon, day.plus(DAY))),
                    ledger.totals(agent, day, day.plus(DAY)), day.toString());
        }
        Instant mid = Instant.parse("2032-02-15T07:00:00Z");
        assertEquals(ledger.totals(agent, FEB_1, mid).plus(ledger.totals(agent, mid, MAR_1)), ledger.totals(agent, FEB_1, MAR_1));
    }
}
