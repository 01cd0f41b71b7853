package org.tradingdemo.adapter.grpc.metering;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import org.tradingdemo.proto.metering.v1.Money;
import org.tradingdemo.proto.metering.v1.QuotaLimits;

/** Wire values for the tests. */
final class Wire {
    /** 2026-03-15T12:00:00Z: mid-day, mid-month. */
    static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    static final Instant DAY_START = Instant.parse("2026-03-15T00:00:00Z");
    static final Instant DAY_END = Instant.parse("2026-03-16T00:00:00Z");
    static final Instant MONTH_START = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant MONTH_END = Instant.parse("2026-04-01T00:00:00Z");

    private Wire() {
    }

    static Money usd(String amount) {
        return Money.newBuilder().setCurrencyCode("USD").setAmount(amount).build();
    }

    static QuotaLimits limits(String daily, String monthly) {
        return QuotaLimits.newBuilder().setDaily(usd(daily)).setMonthly(usd(monthly)).build();
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant instant(Timestamp ts) {
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }
}
