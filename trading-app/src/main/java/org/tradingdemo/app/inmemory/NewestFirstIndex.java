package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

/**
 * Committed values sorted newest first by (time, id), so a keyset page is a seek plus a short walk
 * instead of a sort of the whole table. Maintained by a table's commit listener.
 *
 * <p>Held as an array in ascending (time, id) order, walked backwards: values arrive in time order
 * (new rows are appended) and a new version of a row keeps its position (its time and id never
 * change), so an entry costs one array slot (4 bytes) instead of a sorted map's node and index
 * entries (about 36 bytes, and a few dozen comparisons per insert) - the trade index keeps one per
 * trade for as long as the process lives. Not thread-safe on its own: written only under the commit
 * lock, read only under the read lock ({@link InMemoryTransactions#read}).
 */
final class NewestFirstIndex<V> {

    private final Function<V, Instant> time;
    private final Function<V, String> id;
    /** Newest first, then by id descending: the order of pages. */
    private final Comparator<V> newestFirst;
    private Object[] entries = new Object[8];
    private int size;

    NewestFirstIndex(Function<V, Instant> time, Function<V, String> id) {
        this.time = time;
        this.id = id;
        this.newestFirst = (a, b) -> compare(time.apply(b), id.apply(b), a);
    }

    /** Adds a value, or replaces the entry of the same (time, id). */
    void add(V value) {
        Instant at = time.apply(value);
        String key = id.apply(value);
        if (size == 0 || compare(at, key, entry(size - 1)) > 0) {
            append(value); // the usual case: the newest so far
            return;
        }
        int found = search(at, key);
        if (found >= 0) {
            entries[found] = value;
            return;
        }
        int insertAt = -found - 1;
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, grown());
        }
        System.arraycopy(entries, insertAt, entries, insertAt + 1, size - insertAt);
        entries[insertAt] = value;
        size++;
    }

    /** Removes the entry at the value's (time, id), whichever version holds it. */
    void remove(V value) {
        int found = search(time.apply(value), id.apply(value));
        if (found >= 0) {
            System.arraycopy(entries, found + 1, entries, found, size - found - 1);
            entries[--size] = null;
        }
    }

    /**
     * Puts a row's new version in place of its previous one ({@code before}, if any): in the same
     * slot when both have the same (time, id), as every row of this service does.
     */
    void update(Optional<V> before, V after) {
        if (before.isPresent()) {
            V b = before.get();
            if (!time.apply(b).equals(time.apply(after)) || !id.apply(b).equals(id.apply(after))) {
                remove(b);
            }
        }
        add(after);
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void append(V value) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, grown());
        }
        entries[size++] = value;
    }

    private int grown() {
        return Math.max(8, size + (size >> 1));
    }

    @SuppressWarnings("unchecked")
    private V entry(int i) {
        return (V) entries[i];
    }

    /** Ascending (time, id) order of a position against a stored value. */
    private int compare(Instant at, String key, V value) {
        int byTime = at.compareTo(time.apply(value));
        return byTime != 0 ? byTime : key.compareTo(id.apply(value));
    }

    /** The slot of (at, key), or {@code -(insertion point) - 1} as {@link Arrays#binarySearch} answers. */
    private int search(Instant at, String key) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(at, key, entry(mid));
            if (c > 0) {
                low = mid + 1;
            } else if (c < 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    /**
     * One page of the committed entries matching {@code filter}, merged with the caller's staged
     * values (which replace their committed versions).
     *
     * @param staged   the caller's staged values of this table (read-your-writes)
     * @param shadowed true for a committed value the caller has staged a new version of
     */
    Page<V> page(PageRequest request, Predicate<? super V> filter, Collection<V> staged,
                 Predicate<? super V> shadowed) {
        int wanted = request.limit() + 1;
        // the newest entry strictly older than the cursor (or the newest of all), then backwards
        int from = request.after().map(c -> {
            int found = search(c.at(), c.id());
            return found >= 0 ? found - 1 : -found - 2;
        }).orElse(size - 1);
        TreeMap<V, V> picked = new TreeMap<>(newestFirst);
        for (int i = from; i >= 0 && picked.size() < wanted; i--) {
            V value = entry(i);
            if (!shadowed.test(value) && filter.test(value)) {
                picked.put(value, value);
            }
        }
        for (V value : staged) {
            if (filter.test(value) && request.after().map(c -> c.precedes(time.apply(value), id.apply(value))).orElse(true)) {
                picked.remove(value);
                picked.put(value, value);
            }
        }
        List<V> items = new ArrayList<>(request.limit());
        for (V value : picked.values()) {
            if (items.size() == request.limit()) {
                V last = items.get(items.size() - 1);
                return new Page<>(items, Optional.of(new PageCursor(time.apply(last), id.apply(last))));
            }
            items.add(value);
        }
        return new Page<>(items, Optional.empty());
    }
}
