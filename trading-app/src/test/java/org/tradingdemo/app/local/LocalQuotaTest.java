package org.tradingdemo.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.app.service.ServiceTestData.AGENT_ID;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.DAY_END;
import static org.tradingdemo.app.service.ServiceTestData.DAY_START;
import static org.tradingdemo.app.service.ServiceTestData.MONTH_START;
import static org.tradingdemo.app.service.ServiceTestData.OTHER_AGENT_ID;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.QuotaPort.Denied;
import org.tradingdemo.domain.port.QuotaPort.Granted;
import org.tradingdemo.domain.port.QuotaPort.QuotaDecision;
import org.tradingdemo.domain.port.QuotaPort.QuotaRequest;
import org.tradingdemo.domain.port.UsageLedger;

/** Daily limit 1,000 and monthly limit 10,000 unless a test says otherwise; the clock is fixed. */
class LocalQuotaTest {

    private static final QuotaLimits LIMITS = new QuotaLimits(Money.usd(1_000), Money.usd(10_000));

    /** A ledger that knows only how much each agent executed in each window (keyed by window start). */
    private static final class ExecutedVolumeLedger implements UsageLedger {
        private final Map<String, Money> executed = new ConcurrentHashMap<>();

        void executed(AgentId agent, Instant windowStart, String amount) {
            executed.put(agent.value() + "@" + windowStart, Money.usd(amount));
        }

        @Override
        public boolean append(UsageRecord record) {
            throw new UnsupportedOperationException("the quota never writes the ledger");
        }

        @Override
        public UsageTotals totals(AgentId agentId, Instant from, Instant to) {
            Money amount = executed.get(agentId.value() + "@" + from);
            return amount == null ? UsageTotals.empty()
                    : new UsageTotals(Map.of(UsageType.TRADE_EXECUTED, new UsageTotals.Total(1, amount)));
        }

        @Override
        public Map<AgentId, UsageTotals> totalsByAgent(Instant from, Instant to) {
            throw new UnsupportedOperationException();
        }
    }

    private ExecutedVolumeLedger ledger;
    private LocalQuota quota;

    @BeforeEach
    void wire() {
        ledger = new ExecutedVolumeLedger();
        quota = new LocalQuota(ledger, CLOCK);
    }

    private QuotaDecision reserve(AgentId agent, String amount, String key, QuotaLimits limits) {
        return quota.reserve(new QuotaRequest(agent, Money.usd(amount), limits, key));
    }

    private QuotaDecision reserve(String amount, String key) {
        return reserve(AGENT_ID, amount, key, LIMITS);
    }

    private String granted(String amount, String key) {
        return assertInstanceOf(Granted.class, reserve(amount, key)).reservationId();
    }

    private Money usedToday() {
        return quota.status(AGENT_ID, LIMITS, UsagePeriod.DAILY).used();
    }

    @Test
    void aReservationWithinTheLimitIsGranted() {
        Granted granted = assertInstanceOf(Granted.class, reserve("600", "trade-1"));

        assertEquals(new QuotaCheck(true, UsagePeriod.DAILY, Money.usd(0), Money.usd(1_000), Money.usd(1_000), DAY_END),
                granted.check());
        assertEquals(1, quota.openReservations());
        assertEquals(Money.usd(600), usedToday());
    }

    @Test
    void aReservationBeyondTheLimitIsDeniedAndHoldsNothing() {
        ledger.executed(AGENT_ID, DAY_START, "500");

        Denied denied = assertInstanceOf(Denied.class, reserve("500.01", "trade-1"));

        assertEquals(new QuotaCheck(false, UsagePeriod.DAILY, Money.usd(500), Money.usd(500), Money.usd(1_000), DAY_END),
                denied.check());
        assertEquals(0, quota.openReservations());
        assertInstanceOf(Granted.class, reserve("500", "trade-2"), "exactly up to the limit is allowed");
    }

    @Test
    void openReservationsCountAgainstTheLimit() {
        granted("600", "trade-1");

        Denied denied = assertInstanceOf(Denied.class, reserve("500", "trade-2"));
        assertEquals(Money.usd(600), denied.check().used());
        granted("400", "trade-3");
        assertEquals(Money.usd(1_000), usedToday());
    }

    @Test
    void releasingOrCompletingFreesTheReservedVolume() {
        String first = granted("600", "trade-1");
        String second = granted("400", "trade-2");

        quota.release(first);
        assertEquals(Money.usd(400), usedToday());
        granted("600", "trade-3");

        quota.complete(second);
        assertEquals(Money.usd(600), usedToday(), "a completed reservation is carried by the ledger row from now on");
        assertEquals(1, quota.openReservations());
    }

    @Test
    void releaseAndCompleteAreIdempotent() {
        String first = granted("600", "trade-1");
        granted("300", "trade-2");

        quota.release(first);
        quota.release(first);
        quota.complete(first);
        quota.release("never-issued");

        assertEquals(Money.usd(300), usedToday());
        assertEquals(1, quota.openReservations());
    }

    @Test
    void theSameIdempotencyKeyReservesOnce() {
        String first = granted("600", "trade-1");

        Granted again = assertInstanceOf(Granted.class, reserve("600", "trade-1"));

        assertEquals(first, again.reservationId());
        assertEquals(1, quota.openReservations());
        assertEquals(Money.usd(600), usedToday());
    }

    @Test
    void aReleasedKeyMayReserveAgain() {
        String first = granted("600", "trade-1");
        quota.release(first);

        String second = granted("600", "trade-1");

        assertNotEquals(first, second);
    }

    @Test
    void theMonthlyLimitRefusesWhenItIsTheTighter() {
        QuotaLimits limits = new QuotaLimits(Money.usd(1_000), Money.usd(5_000));
        ledger.executed(AGENT_ID, MONTH_START, "4800");

        Denied denied = assertInstanceOf(Denied.class, reserve(AGENT_ID, "300", "trade-1", limits));

        assertEquals(UsagePeriod.MONTHLY, denied.check().period());
        assertEquals(Money.usd(200), denied.check().remaining());
    }

    @Test
    void aGrantReportsTheWindowWithLessRoomLeft() {
        QuotaLimits limits = new QuotaLimits(Money.usd(1_000), Money.usd(5_000));
        ledger.executed(AGENT_ID, MONTH_START, "4800");

        Granted granted = assertInstanceOf(Granted.class, reserve(AGENT_ID, "100", "trade-1", limits));

        assertEquals(UsagePeriod.MONTHLY, granted.check().period());
        assertEquals(Money.usd(200), granted.check().remaining());
    }

    @Test
    void theDailyLimitRefusesWhenItIsTheTighter() {
        ledger.executed(AGENT_ID, DAY_START, "900");
        ledger.executed(AGENT_ID, MONTH_START, "900");

        Denied denied = assertInstanceOf(Denied.class, reserve("200", "trade-1"));

        assertEquals(UsagePeriod.DAILY, denied.check().period());
    }

    @Test
    void statusCountsExecutedVolumeAndOpenReservations() {
        ledger.executed(AGENT_ID, DAY_START, "200");
        granted("300", "trade-1");

        QuotaCheck today = quota.status(AGENT_ID, LIMITS, UsagePeriod.DAILY);
        QuotaCheck month = quota.status(AGENT_ID, LIMITS, UsagePeriod.MONTHLY);

        assertEquals(new QuotaCheck(true, UsagePeriod.DAILY, Money.usd(500), Money.usd(500), Money.usd(1_000), DAY_END),
                today);
        assertEquals(Money.usd(300), month.used(), "the month has no executed volume in this ledger, only the reservation");
    }

    @Test
    void agentsHaveSeparateQuotas() {
        granted("1000", "trade-1");

        assertInstanceOf(Granted.class, reserve(OTHER_AGENT_ID, "1000", "trade-2", LIMITS));
        assertInstanceOf(Denied.class, reserve("0.01", "trade-3"));
    }

    @Test
    void eightThreadsRacingOnOneAgentNeverExceedTheLimit() throws Exception {
        int threads = 8;
        int attemptsEach = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> grantedPerThread = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                grantedPerThread.add(pool.submit(() -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        if (reserve("7", "t" + thread + "-" + i) instanceof Granted) {
                            granted++;
                        }
                    }
                    return granted;
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Integer> f : grantedPerThread) {
                granted += f.get(30, TimeUnit.SECONDS);
            }

            // 400 attempts of 7 against 1,000: exactly floor(1000 / 7) = 142 fit, never one more
            assertEquals(142, granted);
            assertEquals(142, quota.openReservations());
            assertEquals(Money.usd(994), usedToday());
            assertTrue(usedToday().compareTo(LIMITS.daily()) <= 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewInstanceNeverReusesTheReservationIdsOfAnEarlierOne() {
        // ids outlive the process (in the store and in outbox keys); a restarted quota must not hand them out again
        String before = ((Granted) reserve("10", "before-restart")).reservationId();
        LocalQuota restarted = new LocalQuota(ledger, CLOCK);
        String after = ((Granted) restarted.reserve(new QuotaRequest(AGENT_ID, Money.usd("10"), LIMITS, "after-restart")))
                .reservationId();
        assertNotEquals(before, after);

        // so completing the old id in the new instance leaves the new reservation alone
        restarted.complete(before);
        assertEquals(1, restarted.openReservations());
    }
}
