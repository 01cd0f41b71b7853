package org.tradingdemo.app.port.in;

/** Driven by a scheduler: pending requests past expiresAt → expired, their trades → cancelled. */
public interface ExpireOverdueRequestsUseCase {

    /** @return how many requests expired in this run */
    int expireOverdue();
}
