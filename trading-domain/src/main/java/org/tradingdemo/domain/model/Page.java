package org.tradingdemo.domain.model;

import java.util.List;
import java.util.Optional;

/** One page of a list, newest first, with the cursor of the next page when there is one. */
public record Page<T>(List<T> items, Optional<PageCursor> next) {

    public Page {
        items = List.copyOf(items);
        next = next == null ? Optional.empty() : next;
    }

    public static <T> Page<T> empty() {
        return new Page<>(List.of(), Optional.empty());
    }
}
