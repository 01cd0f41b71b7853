package org.tradingdemo.app.inmemory;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;

/**
 * One agent's usage records in time order (then by event id), so the totals of any window are a
 * binary search and a walk. An array, not a sorted map: records arrive in time order and are never
 * removed, and the in-memory store keeps one per executed trade for as long as the process lives -
 * here a record costs one array slot (4 bytes) where a skip-list costs a node and index entries
 * (about 36 bytes) and a few dozen comparisons per insert.
 *
 * <p>Not thread-safe on its own: the ledger writes it only under the commit lock and reads it only
 * under the read lock ({@link InMemoryTransactions#read}), never optimistically.
 */
final class TimeOrderedUsage {

    static final Comparator<UsageRecord> IN_TIME_ORDER =
            Comparator.comparing(UsageRecord::occurredAt).thenComparing(UsageRecord::eventId);

    private UsageRecord[] records = new UsageRecord[8];
    private int size;

    /** Adds a record: appended when it is the latest (the usual case), else inserted in order. */
    void add(UsageRecord record) {
        if (size == records.length) {
            records = Arrays.copyOf(records, Math.max(8, size + (size >> 1)));
        }
        if (size == 0 || IN_TIME_ORDER.compare(records[size - 1], record) <= 0) {
            records[size++] = record;
            return;
        }
        // an earlier record (a clock step back, a late append): later ones move up one slot
        int at = Arrays.binarySearch(records, 0, size, record, IN_TIME_ORDER);
        int insertAt = at >= 0 ? at : -at - 1;
        System.arraycopy(records, insertAt, records, insertAt + 1, size - insertAt);
        records[insertAt] = record;
        size++;
    }

    int size() {
        return size;
    }

    /** The totals of the records with {@code from <= occurredAt < to}. */
    UsageTotals sum(Instant from, Instant to) {
        UsageTotals totals = UsageTotals.empty();
        for (int i = firstAtOrAfter(from), end = firstAtOrAfter(to); i < end; i++) {
            UsageRecord r = records[i];
            totals = totals.plus(InMemoryUsageLedger.single(r));
        }
        return totals;
    }

    /** The index of the first record at or after {@code at}, {@code size} when there is none. */
    private int firstAtOrAfter(Instant at) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (records[mid].occurredAt().isBefore(at)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
