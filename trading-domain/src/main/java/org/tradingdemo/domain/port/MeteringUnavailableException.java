package org.tradingdemo.domain.port;

import java.time.Duration;

/** The metering service could not be reached or did not answer in time. */
public final class MeteringUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public MeteringUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
