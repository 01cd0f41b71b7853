package org.tradingdemo.domain.model;

import java.util.Optional;

/** Where a page starts and how long it is (1 to 200 items, default 50). */
public record PageRequest(Optional<PageCursor> after, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public PageRequest {
        after = after == null ? Optional.empty() : after;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(Optional.empty(), limit);
    }

    public static PageRequest firstPage() {
        return first(DEFAULT_LIMIT);
    }
}
