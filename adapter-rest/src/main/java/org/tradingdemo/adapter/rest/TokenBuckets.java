package org.tradingdemo.adapter.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * A bounded set of local Bucket4j token buckets, one per key, all with the same limit: {@code capacity}
 * tokens, refilled greedily at {@code capacity} per {@code period}.
 *
 * <p>Bounded by {@code maxKeys}: past it the least recently used bucket is dropped (its key starts
 * afresh with a full bucket when it comes back). The keys are user ids, user+agent pairs and
 * username+IP pairs; the default bounds are far above the number a single instance sees within one
 * refill period, so eviction should only ever drop idle buckets. Guarded by one lock: each access is a
 * hash lookup plus a Bucket4j CAS, far below the cost of the request it guards.
 *
 * <p>Time comes from the injected {@link Clock}, so tests move time instead of sleeping.
 */
final class TokenBuckets {

    private final long capacity;
    private final Duration period;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets;

    TokenBuckets(long capacity, Duration period, Clock clock, int maxKeys) {
        if (capacity < 1 || maxKeys < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("capacity, period and maxKeys must be positive");
        }
        this.capacity = capacity;
        this.period = period;
        this.time = new ClockTimeMeter(clock);
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    long capacity() {
        return capacity;
    }

    Duration period() {
        return period;
    }

    /** Takes one token from {@code key}'s bucket; the probe says whether it was there and what is left. */
    ConsumptionProbe tryConsume(String key) {
        return bucket(key).tryConsumeAndReturnRemaining(1);
    }

    /** Gives one token back (never above capacity): the attempt turned out not to count. */
    void refund(String key) {
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.get(key);
        }
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    int size() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private Bucket bucket(String key) {
        Objects.requireNonNull(key, "key");
        synchronized (buckets) {
            return buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build())
                    .withCustomTimePrecision(time)
                    .build());
        }
    }

    /** Whole seconds, rounded up, at least {@code min}. */
    static long seconds(long nanos, long min) {
        return Math.max(min, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Bucket4j's time source read from a {@link Clock}: nanoseconds since the epoch. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
