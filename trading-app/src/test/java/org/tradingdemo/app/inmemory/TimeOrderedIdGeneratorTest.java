package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TimeOrderedIdGeneratorTest {

    private static final Pattern UUID_FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    /** A clock that moves only when told to. */
    private static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void set(Instant value) {
            now = value;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void idsAreVersion7UuidsCarryingTheClocksMilliseconds() {
        Instant now = Instant.parse("2031-03-14T10:15:30.123Z");
        String id = new TimeOrderedIdGenerator(Clock.fixed(now, ZoneOffset.UTC)).newId();

        assertEquals(36, id.length());
        assertTrue(UUID_FORMAT.matcher(id).matches(), id);
        UUID uuid = UUID.fromString(id);
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(now.toEpochMilli(), uuid.getMostSignificantBits() >>> 16);
    }

    @Test
    void idsSortInCreationOrderWithinAMillisecondAndAcrossTime() {
        ManualClock clock = new ManualClock(Instant.parse("2031-03-14T10:15:30Z"));
        TimeOrderedIdGenerator ids = new TimeOrderedIdGenerator(clock);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.newId());
            if (i % 2_500 == 0) {
                clock.set(clock.instant().plusMillis(1));
            }
        }
        clock.set(clock.instant().minusSeconds(5));
        made.add(ids.newId());

        assertEquals(made.stream().sorted().toList(), made, "creation order is string order, even when the clock steps back");
    }

    @Test
    void idsAreUniqueAcrossEightThreads() throws Exception {
        TimeOrderedIdGenerator ids = new TimeOrderedIdGenerator(Clock.systemUTC());
        assertUniqueAcrossThreads(ids::newId);
    }

    @Test
    void idsAreUniqueAcrossThreadsEvenWhenTheClockStandsStill() throws Exception {
        TimeOrderedIdGenerator ids = new TimeOrderedIdGenerator(Clock.fixed(Instant.parse("2031-03-14T10:15:30Z"), ZoneOffset.UTC));
        assertUniqueAcrossThreads(ids::newId);
    }

    static void assertUniqueAcrossThreads(java.util.function.Supplier<String> newId) throws Exception {
        Set<String> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    Set<String> mine = new HashSet<>();
                    for (int i = 0; i < 10_000; i++) {
                        mine.add(newId.get());
                    }
                    all.addAll(mine);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80_000, all.size());
    }
}
