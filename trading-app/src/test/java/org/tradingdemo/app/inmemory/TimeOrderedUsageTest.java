package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;

class TimeOrderedUsageTest {

    private static final AgentId AGENT = AgentId.of("agt-1");
    private static final Instant T0 = Instant.parse("2032-02-01T00:00:00Z");

    private final TimeOrderedUsage usage = new TimeOrderedUsage();

    @Test
    void aWindowIncludesItsStartAndExcludesItsEnd() {
        usage.add(record("a", T0, "1.00"));
        usage.add(record("b", T0.plusSeconds(10), "2.00"));
        usage.add(record("c", T0.plusSeconds(20), "4.00"));

        assertEquals(Money.usd("3.00"), volume(T0, T0.plusSeconds(20)));
        assertEquals(Money.usd("6.00"), volume(T0.plusSeconds(10), T0.plusSeconds(21)));
        assertEquals(Money.usd("0.00"), volume(T0.plusNanos(1), T0.plusSeconds(10)));
        assertEquals(Money.usd("0.00"), volume(T0.minusSeconds(5), T0));
    }

    @Test
    void recordsAddedOutOfOrderOrAtTheSameInstantAreAllSummed() {
        Random random = new Random(7);
        List<UsageRecord> all = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // coarse times: many records share an instant; random order: many inserts before the end
            UsageRecord r = record("e" + i, T0.plusSeconds(random.nextInt(500)), (1 + random.nextInt(999)) + ".00");
            all.add(r);
            usage.add(r);
        }
        assertEquals(3_000, usage.size());
        for (int n = 0; n < 200; n++) {
            Instant from = T0.plusSeconds(random.nextInt(520) - 10);
            Instant to = from.plusSeconds(random.nextInt(100));
            Money expected = all.stream().filter(r -> !r.occurredAt().isBefore(from) && r.occurredAt().isBefore(to))
                    .map(UsageRecord::amount).reduce(Money.zero(Money.USD), Money::plus);
            assertEquals(expected, volume(from, to), from + " to " + to);
        }
    }

    private Money volume(Instant from, Instant to) {
        UsageTotals totals = usage.sum(from, to);
        return totals.of(UsageType.TRADE_EXECUTED).amount();
    }

    private static UsageRecord record(String eventId, Instant at, String amount) {
        return new UsageRecord(eventId, AGENT, UsageType.TRADE_EXECUTED, Money.usd(amount), at, Map.of());
    }
}
