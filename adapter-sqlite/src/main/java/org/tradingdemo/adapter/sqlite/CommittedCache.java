package org.tradingdemo.adapter.sqlite;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An in-memory copy of some committed state, kept current by the writer: what a repository serves
 * outside a unit of work without asking SQLite ({@link SqlitePortfolioRepository},
 * {@link SqliteUsageLedger}). It never serves an uncommitted value, nor one older than what SQLite
 * shows at that moment:
 * <ul>
 *   <li>A unit that changes an entry says so ({@link #willChange}). Right before the COMMIT of a
 *       transaction with that unit's writes in it, the entry is dropped and the cache is marked as
 *       changing; once the COMMIT succeeded, before any caller is released, the entry becomes the
 *       committed value; when the transaction has ended either way the cache is no longer changing.
 *       A unit that rolls back never reaches the cache. So from the COMMIT until the new value is in
 *       place a reader misses and reads SQLite, which already shows the commit.</li>
 *   <li>A reader that missed notes {@link #version()} before its query and keeps its result
 *       ({@link #remember}) only if the version has not moved and no commit is under way: every change
 *       moves the version, under the lock that storing takes. A value read before a commit is therefore
 *       never stored after that commit began.</li>
 *   <li>Inside a unit the writer connection also sees the uncommitted writes of the units before it in
 *       the batch: {@link #changedInTransaction} tells the repository to read SQLite instead.</li>
 * </ul>
 * The store holds the database file's lock, so nobody else writes behind its back; the cache lives in
 * memory and starts empty after a restart or a crash. Past {@code limit} entries it starts over.
 */
final class CommittedCache<K, V> {

    private final SqliteTransactions transactions;
    private final int limit;
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile long version;
    /** Guarded by {@link #lock}: a COMMIT that changes entries is under way. */
    private boolean changing;

    // writer thread only
    private long transaction = -1;
    private long hookedTransaction = -1;
    private final Set<K> changedInTransaction = new HashSet<>();
    /** The value of each changing entry as of the transaction's start (or as its hooks have updated it). */
    private final Map<K, V> staged = new HashMap<>();

    CommittedCache(SqliteTransactions transactions, int limit) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.limit = limit;
    }

    /** The committed value, or null when not cached. */
    V get(K key) {
        return entries.get(key);
    }

    /** To note before a reader's query, for {@link #remember}. */
    long version() {
        return version;
    }

    /** Keeps what a reader connection read, unless anything changed since {@code versionBeforeRead}. */
    void remember(K key, V value, long versionBeforeRead) {
        synchronized (lock) {
            if (changing || version != versionBeforeRead) {
                return;
            }
            put(key, value);
        }
    }

    /**
     * Inside a unit: the running unit changes {@code key}. If the unit commits, the entry becomes
     * {@code next} applied to the value cached before (null when there was none; a null result leaves
     * the entry out).
     */
    void willChange(K key, UnaryOperator<V> next) {
        changedInTransaction().add(key);
        if (hookedTransaction != transactions.transactionNumber()) {
            hookedTransaction = transactions.transactionNumber();
            transactions.onTransactionEnd(this::transactionEnded);
        }
        transactions.beforeCommit(() -> {
            synchronized (lock) {
                changing = true;
                version++;
                V before = entries.remove(key);
                if (before != null) {
                    staged.put(key, before);
                }
            }
        });
        transactions.afterCommit(() -> {
            synchronized (lock) {
                V now = next.apply(staged.get(key));
                if (now != null) {
                    staged.put(key, now);
                    put(key, now);
                }
            }
        });
    }

    /** Inside a unit: whether a unit of the running transaction (even one rolled back) changed {@code key}. */
    boolean changedInTransaction(K key) {
        return changedInTransaction().contains(key);
    }

    private Set<K> changedInTransaction() {
        if (transactions.transactionNumber() != transaction) {
            transaction = transactions.transactionNumber();
            changedInTransaction.clear();
        }
        return changedInTransaction;
    }

    private void transactionEnded() {
        synchronized (lock) {
            version++;
            changing = false;
            staged.clear();
        }
    }

    private void put(K key, V value) {
        if (entries.size() >= limit && !entries.containsKey(key)) {
            entries.clear();
        }
        entries.put(key, value);
    }
}
