package org.tradingdemo.app.inmemory;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.tradingdemo.domain.port.IdGenerator;

/**
 * UUIDv7-style ids (RFC 9562): 48 bits of Unix milliseconds from the injected clock, a 12-bit counter,
 * then 62 random bits. Ids therefore sort by creation time as plain strings, which keeps keyset
 * paging and database indexes in insertion order.
 *
 * <p>The (milliseconds, counter) prefix strictly increases across every id of one generator, even
 * when many threads call at once, when more than 4096 ids are made in one millisecond (the timestamp
 * then runs a little ahead) or when the clock steps back: so one generator never repeats itself, and
 * the random bits keep generators in different processes apart.
 */
public final class TimeOrderedIdGenerator implements IdGenerator {

    private static final int COUNTER_BITS = 12;
    private static final long MAX_MILLIS = (1L << 48) - 1;

    private final Clock clock;
    /** The last (millis << 12 | counter) handed out. */
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    public TimeOrderedIdGenerator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String newId() {
        long now = clock.millis();
        if (now < 0 || now > MAX_MILLIS) {
            throw new IllegalStateException("clock outside the 48-bit millisecond range of UUIDv7: " + now);
        }
        long stamp = last.updateAndGet(prev -> Math.max(now << COUNTER_BITS, prev + 1));
        long millis = stamp >>> COUNTER_BITS;
        long counter = stamp & ((1L << COUNTER_BITS) - 1);
        long msb = (millis << 16) | (0x7L << 12) | counter;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
