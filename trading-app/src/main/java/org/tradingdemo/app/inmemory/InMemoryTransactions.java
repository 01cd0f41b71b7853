package org.tradingdemo.app.inmemory;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
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
 *       A committed read never sees half of a commit: once one of its writes is visible, all are.
 *       Single lookups read optimistically (a {@link StampedLock} stamp validated after the read, the
 *       read lock only when a commit interleaved); multi-step reads ({@link #read}) take the read lock.</li>
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
        /** The table this part belongs to. */
        Object owner();

        /** Runs under the commit lock before anything is applied; throws to abort the commit. */
        void validate();

        /** Runs under the commit lock; must not fail once every participant has validated. */
        void apply();
    }

    /** The writes of one transaction, one participant per table touched, in first-touch order. */
    static final class UnitOfWork {
        // a unit touches a handful of tables: a linear scan by identity beats any map
        private Participant[] participants = new Participant[4];
        private int size;

        @SuppressWarnings("unchecked")
        <P extends Participant> P participant(Object owner, Supplier<P> create) {
            P existing = existing(owner);
            if (existing != null) {
                return existing;
            }
            P created = create.get();
            if (size == participants.length) {
                participants = Arrays.copyOf(participants, size * 2);
            }
            participants[size++] = created;
            return created;
        }

        /**
         * The owner's participant in this unit, or {@code null} when the owner has not been touched:
         * asked on every read inside a unit, so no {@code Optional} is allocated for the common miss.
         */
        @SuppressWarnings("unchecked")
        <P extends Participant> P existing(Object owner) {
            for (int i = 0; i < size; i++) {
                if (participants[i].owner() == owner) {
                    return (P) participants[i];
                }
            }
            return null;
        }
    }

    /** How deep the calling thread is in {@link #read}: nested reads must not queue for the lock again. */
    private static final class ReadDepth {
        int depth;
    }

    private final ThreadLocal<UnitOfWork> current = new ThreadLocal<>();
    private final ThreadLocal<ReadDepth> reads = ThreadLocal.withInitial(ReadDepth::new);
    private final StampedLock lock = new StampedLock();
    /** The thread holding the write lock, and how often (the commit lock is re-entrant). Written under it. */
    private Thread writer;
    private int writeHolds;
    private long writeStamp;

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
        if (writer == Thread.currentThread()) {
            return read.get();
        }
        ReadDepth reading = reads.get();
        if (reading.depth > 0) {
            // already under the read lock: taking it again could queue behind a waiting writer forever
            return read.get();
        }
        long stamp = lock.readLock();
        reading.depth++;
        try {
            return read.get();
        } finally {
            reading.depth--;
            lock.unlockRead(stamp);
        }
    }

    /**
     * A read of committed state without side effects (it may run twice): tried without locking and
     * kept when no commit interleaved with it, otherwise repeated under the read lock.
     */
    <T> T readOptimistically(Supplier<T> read) {
        long stamp = optimisticStamp();
        if (stamp != 0) {
            T result = read.get();
            if (lock.validate(stamp)) {
                return result;
            }
        }
        return read(read);
    }

    /** A stamp for an optimistic read, 0 when one is not possible now (a commit runs, or runs on this thread). */
    long optimisticStamp() {
        return writer == Thread.currentThread() ? 0 : lock.tryOptimisticRead();
    }

    /** Whether no commit interleaved since {@code stamp} was taken. */
    boolean stillValid(long stamp) {
        return lock.validate(stamp);
    }

    /** Whether the calling thread holds the commit lock (validators and listeners run there). */
    boolean isCommitting() {
        return writer == Thread.currentThread();
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
        lockForCommit();
        try {
            return inTransaction(write);
        } finally {
            unlockAfterCommit();
        }
    }

    private void commit(UnitOfWork unit) {
        int size = unit.size;
        if (size == 0) {
            return;
        }
        Participant[] participants = unit.participants;
        requireNoReadLock();
        lockForCommit();
        try {
            for (int i = 0; i < size; i++) {
                participants[i].validate();
            }
            for (int i = 0; i < size; i++) {
                participants[i].apply();
            }
        } finally {
            unlockAfterCommit();
        }
    }

    private void lockForCommit() {
        Thread me = Thread.currentThread();
        if (writer == me) {
            writeHolds++;
            return;
        }
        long stamp = lock.writeLock();
        writer = me;
        writeHolds = 1;
        writeStamp = stamp;
    }

    private void unlockAfterCommit() {
        if (--writeHolds == 0) {
            writer = null;
            lock.unlockWrite(writeStamp);
        }
    }

    /** A read lock cannot be upgraded: committing inside {@link #read} would deadlock, so fail fast. */
    private void requireNoReadLock() {
        if (writer != Thread.currentThread() && reads.get().depth > 0) {
            throw new IllegalStateException("cannot write to the in-memory store inside a read");
        }
    }
}
