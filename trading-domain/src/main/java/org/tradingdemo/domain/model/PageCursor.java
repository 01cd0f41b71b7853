package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Keyset position in a list sorted newest first by (time, id): the next page holds the items
 * strictly after this one. Stable under concurrent inserts, unlike offsets.
 */
public record PageCursor(Instant at, String id) {

    public PageCursor {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(id, "id");
    }

    /** True when an item at (itemAt, itemId) comes after this cursor in newest-first order. */
    public boolean precedes(Instant itemAt, String itemId) {
        int c = itemAt.compareTo(at);
        return c < 0 || (c == 0 && itemId.compareTo(id) < 0);
    }
}
