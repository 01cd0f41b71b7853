package org.tradingdemo.app.inmemory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.tradingdemo.domain.port.Transactions;

/**
 * A real unit of work for the in-memory store, so the in-memory and SQLite adapters pass the same
 * transaction contract and a test on memory means the same as a test on disk.
 *
 * <ul>
 *   <li><b>Staging.</b> Inside {@link #inTransaction} every {@link InMemoryTable} write is staged in a
 *       unit of work bound to the calling thread. Reads on that thread see the staged values first
 *       (read-your-writes); other threads see only committed data. Threads started by the work do not
 *       join it: their writes commit on their own.</li>
 *   <li><b>Commit.</b> Under one write lock, every table's before-commit validators run (uniqueness),
 *       then every staged write is applied and the commit listeners update indexes and aggregates.
 *       Committed reads take the read lock, so a reader never sees half of a commit: once one of its
 *       writes is visible, all are.</li>
 *   <li><b>Rollback.</b> When the work throws, the staged writes are dropped and the exception
 *       propagates unchanged. A validator that throws aborts the whole commit the same way.</li>
 *   <li><b>Nesting.</b> A nested call joins the outer unit: nothing commits until the outermost call
 *       returns. As with a database transaction without savepoints, an exception the outer work
 *       catches does not undo the writes made before it was thrown.</li>
 *   <li><b>Autocommit.</b> A write outside any transaction is its own one-write unit of work.</li>
 * </ul>
 *
 * Isolation is READ COMMITTED with read-your-writes; commits are serialised.
 */
public final class InMemoryTransactions implements Transactions {

    /** What a unit of work commits: one per table touched. */
    interface Participant {
        /** Runs under the commit lock before anything is applied; throws to abort the commit. */
        void validate();

        /** Runs under the commit lock; must not fail once every participant has validated. */
        void apply();
    }

    /** The writes of one transaction, keyed by the table that staged them, in first-touch order. */
    static final class UnitOfWork {
        private final Map<Object, Participant> participants = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        <P extends Participant> P participant(Object owner, Supplier<P> create) {
            return (P) participants.computeIfAbsent(owner, o -> create.get());
        }

        <P extends Participant> P existing(Object owner) {
            @SuppressWarnings("unchecked")
            P p = (P) participants.get(owner);
            return p;
        }

        List<Participant> participants() {
            return new ArrayList<>(participants.values());
        }
    }

    private final ThreadLocal<UnitOfWork> current = new ThreadLocal<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (current.get() != null) {
            return work.get();
        }
        UnitOfWork unit = new UnitOfWork();
        current.set(unit);
        T result;
        try {
            result = work.get();
        } finally {
            // Unbound before commit so validators and listeners read committed state, not the staged view.
            current.remove();
        }
        commit(unit);
        return result;
    }

    /** Whether the calling thread is inside {@link #inTransaction}. */
    public boolean isActive() {
        return current.get() != null;
    }

    /**
     * Runs a read of committed state that no commit interleaves with, so multi-step reads (an index,
     * then the rows it points to) are consistent.
     */
    public <T> T read(Supplier<T> read) {
        lock.readLock().lock();
        try {
            return read.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The calling thread's unit of work, or null outside a transaction. */
    UnitOfWork currentUnit() {
        return current.get();
    }

    /**
     * A write outside any transaction: staged and committed as one unit while holding the commit
     * lock, so a check-then-write (insert if absent) cannot race with another commit.
     */
    <T> T autocommit(Supplier<T> write) {
        requireNoReadLock();
        lock.writeLock().lock();
        try {
            return inTransaction(write);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void commit(UnitOfWork unit) {
        List<Participant> participants = unit.participants();
        if (participants.isEmpty()) {
            return;
        }
        requireNoReadLock();
        lock.writeLock().lock();
        try {
            participants.forEach(Participant::validate);
            participants.forEach(Participant::apply);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A read lock cannot be upgraded: committing inside {@link #read} would deadlock, so fail fast. */
    private void requireNoReadLock() {
        if (lock.getReadHoldCount() > 0 && !lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("cannot write to the in-memory store inside a read");
        }
    }
}
