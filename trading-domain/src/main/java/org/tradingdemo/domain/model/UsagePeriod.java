package org.tradingdemo.domain.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Quota windows, always in UTC: a calendar day or a calendar month. */
public enum UsagePeriod implements WireName {
    DAILY, MONTHLY;

    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * The last window handed out per period: every trade asks for the day and the month it falls in
     * several times, and windows are immutable, so the same one is reused while it is current.
     */
    private volatile Window last;

    /** The window containing {@code at}: [start, resetAt). */
    public Window windowAt(Instant at) {
        Window cached = last;
        if (cached != null && cached.contains(at)) {
            return cached;
        }
        Window computed = compute(at);
        last = computed;
        return computed;
    }

    private Window compute(Instant at) {
        long epochDay = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
        return switch (this) {
            case DAILY -> new Window(this, Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY),
                    Instant.ofEpochSecond((epochDay + 1) * SECONDS_PER_DAY));
            case MONTHLY -> monthOf(LocalDate.ofEpochDay(epochDay));
        };
    }

    private static Window monthOf(LocalDate day) {
        LocalDate first = day.withDayOfMonth(1);
        return new Window(MONTHLY, first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public static UsagePeriod parse(String value) {
        return WireName.parse(UsagePeriod.class, value, "period");
    }

    /** A half-open window [start, end); {@code end} is when the quota resets. */
    public record Window(UsagePeriod period, Instant start, Instant end) {
        public Window {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("window end must be after start");
            }
        }

        public boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }

        public Instant resetAt() {
            return end;
        }

        /** True when the window is exactly one UTC day (lets ledgers answer from daily totals). */
        public boolean isWholeUtcDay() {
            return start.equals(start.truncatedTo(ChronoUnit.DAYS)) && end.equals(start.plus(1, ChronoUnit.DAYS));
        }
    }
}
