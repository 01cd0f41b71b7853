package org.tradingdemo.adapter.sqlite;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.port.Transactions;

/**
 * The unit of work of the SQLite store: <b>one writer thread, one writer connection, group commit</b>.
 *
 * <h2>Why one writer</h2>
 * SQLite allows one write transaction at a time per database. Several writing connections would
 * queue on the file lock and, past {@code busy_timeout}, fail with {@code SQLITE_BUSY}. Here every
 * write goes through a single connection owned by a single thread, so writes never contend for the
 * lock and {@code SQLITE_BUSY} never reaches a caller; readers use their own read-only connections,
 * which WAL lets run alongside the writer on the last committed snapshot.
 *
 * <h2>How a unit of work runs</h2>
 * <ol>
 *   <li>{@link #inTransaction} wraps {@code work} in a unit and puts it on a <b>bounded</b> queue (a full
 *       queue makes the caller wait, at most {@code writeTimeout}: back-pressure, not unbounded memory).</li>
 *   <li>The writer thread takes the first waiting unit and every other unit already queued (up to
 *       {@code maxBatchSize}), opens ONE transaction ({@code BEGIN IMMEDIATE}) and runs each unit's
 *       {@code work} <b>on the writer thread</b>, inside its own {@code SAVEPOINT}. Repository calls made
 *       by {@code work} find themselves on the writer thread and use the writer connection, so the unit
 *       reads its own writes (and those of the units before it in the batch).</li>
 *   <li>A unit that throws is rolled back to its savepoint alone and its caller gets that very
 *       exception at once; its neighbours in the batch are unaffected.</li>
 *   <li>One {@code COMMIT} (one fsync with {@code synchronous=FULL}) then makes every successful unit of
 *       the batch durable together, and only then are their callers released with their results.
 *       Under load, units pile up while the previous batch commits, so the fsync cost is shared by
 *       the whole batch; with a single caller, a batch is a single unit and nothing waits.</li>
 *   <li>If the COMMIT fails (disk full, I/O error), the whole batch is rolled back and every caller of
 *       the batch gets a {@link SqliteStoreException}: nothing of it was written.</li>
 * </ol>
 *
 * <h2>Nesting, writes outside a unit, reads</h2>
 * A call to {@link #inTransaction} on the writer thread (from inside {@code work}) joins the running
 * unit: its writes commit or roll back with the outer unit; an exception the outer work catches does
 * not undo the nested writes (no nested savepoint - as in the in-memory store). A repository write
 * outside any unit is a unit of its own. A repository read outside any unit runs on a reader
 * connection and sees committed data only.
 *
 * <h2>Waiting is bounded and interruptible</h2>
 * A caller waits at most {@code writeTimeout} for its unit. When the wait times out or the caller is
 * interrupted before its {@code work} finished running, the unit is abandoned: not run at all if still
 * queued, rolled back to its savepoint if running. The caller gets a {@link SqliteStoreException}
 * saying nothing was written (an interrupted caller keeps its interrupt flag). Once {@code work} has
 * finished, only the COMMIT is outstanding; the caller waits for it (at most one more
 * {@code writeTimeout}) and gets the true outcome.
 *
 * <h2>Rules for {@code work}</h2>
 * It runs on the writer thread, so it must be short and touch only the store: no remote calls, no
 * waiting on other threads (a unit that waits for another unit deadlocks until the timeout), no
 * thread-locals of the caller. Every unit queued behind it waits while it runs.
 */
public final class SqliteTransactions implements Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteTransactions.class);

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int EXECUTED = 2;
    private static final int DONE = 3;
    private static final int ABANDONED = 4;

    private final Handle writer;
    /** The transaction-control statements, prepared once (writer thread only). */
    private final java.util.Map<String, java.sql.PreparedStatement> prepared = new java.util.HashMap<>();
    private final String database;
    private final ArrayBlockingQueue<Unit<?>> queue;
    private final int maxBatchSize;
    private final long timeoutNanos;
    private final String timeoutText;
    private final Thread thread;
    private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
    private volatile boolean closing;

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedUnits = new AtomicLong();
    private final AtomicLong failedUnits = new AtomicLong();
    private final AtomicLong largestBatch = new AtomicLong();
    /** Writer thread only: run once the current transaction has ended, before its callers are released. */
    private final List<Runnable> onTransactionEnd = new ArrayList<>();
    /** Writer thread only: registered by the running unit; kept if it is released, dropped if it rolls back. */
    private final List<Runnable> unitBeforeCommitHooks = new ArrayList<>();
    private final List<Runnable> unitCommitHooks = new ArrayList<>();
    /** Writer thread only: of the released units of the current transaction; run just before its COMMIT. */
    private final List<Runnable> beforeCommitHooks = new ArrayList<>();
    /** Writer thread only: of the released units of the current transaction; run after its COMMIT only. */
    private final List<Runnable> commitHooks = new ArrayList<>();
    /** Writer thread only: numbers the units and the transactions, for state kept per unit or per transaction. */
    private long unitNumber;
    private long transactionNumber;

    SqliteTransactions(Handle writer, String database, SqliteOptions options) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(options.writeQueueCapacity());
        this.maxBatchSize = options.maxBatchSize();
        this.timeoutNanos = options.writeTimeout().toNanos();
        this.timeoutText = describe(options.writeTimeout());
        this.thread = new Thread(this::runWriter, "sqlite-writer " + database);
        this.thread.setDaemon(true);
    }

    void start() {
        driverAutoCommit(false);
        thread.start();
    }

    /**
     * The driver's auto-commit flag of the writer connection, set without the driver running any SQL.
     * The writer opens and ends every transaction itself ({@code BEGIN IMMEDIATE} ... {@code COMMIT});
     * with the flag on, sqlite-jdbc runs a probing {@code begin;} after every statement that returns no
     * row (to finish transactions it thinks it left open), which inside our transaction only fails -
     * a wasted statement per INSERT/UPDATE. SQLite's own transaction state does not depend on the flag.
     * It is switched back on before the connection is closed (JDBI treats a closing handle whose
     * connection is not in auto-commit as an unfinished transaction).
     */
    private void driverAutoCommit(boolean on) {
        try {
            writer.getConnection().unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().setAutoCommit(on);
        } catch (SQLException e) {
            throw new IllegalStateException("the writer connection is not a sqlite-jdbc connection", e);
        }
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (onWriterThread()) {
            return work.get();
        }
        Unit<T> unit = new Unit<>(work);
        enqueue(unit);
        return unit.await();
    }

    /** A write: joins the running unit on the writer thread, else is a unit of its own. */
    <T> T write(Function<Handle, T> write) {
        if (onWriterThread()) {
            return write.apply(writer);
        }
        return inTransaction(() -> write.apply(writer));
    }

    /** Whether the calling thread is the writer thread, i.e. inside a unit of work. */
    boolean onWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** The writer connection; only for code running on the writer thread. */
    Handle writerHandle() {
        if (!onWriterThread()) {
            throw new IllegalStateException("the writer connection is used on the writer thread only");
        }
        return writer;
    }

    /**
     * Runs {@code hook} on the writer thread once the current write transaction has ended - committed
     * or rolled back - and before any caller of it is released. For caches of committed state
     * ({@link SqliteAgentRepository}): what a unit wrote is visible to readers from the COMMIT on, and
     * the hook drops the cached copy before anyone is told the write succeeded.
     */
    void onTransactionEnd(Runnable hook) {
        if (!onWriterThread()) {
            throw new IllegalStateException("transaction-end hooks are registered inside a unit of work only");
        }
        onTransactionEnd.add(hook);
    }

    /** The running unit's number (writer thread only): a new number for every unit, nested calls share it. */
    long unitNumber() {
        return unitNumber;
    }

    /** The running transaction's number (writer thread only): a new number for every BEGIN. */
    long transactionNumber() {
        return transactionNumber;
    }

    /**
     * Runs {@code hook} on the writer thread once the current transaction has COMMITTED, and only if the
     * running unit's writes are part of it (not when the unit rolls back to its savepoint, nor when the
     * transaction is lost). It runs before any caller of the transaction is released, before the
     * {@link #onTransactionEnd} hooks. For caches of committed state that are updated with what a unit
     * wrote ({@link SqlitePortfolioRepository}, {@link SqliteUsageLedger}).
     */
    void afterCommit(Runnable hook) {
        if (!onWriterThread()) {
            throw new IllegalStateException("commit hooks are registered inside a unit of work only");
        }
        unitCommitHooks.add(hook);
    }

    /**
     * Runs {@code hook} on the writer thread right before the COMMIT of the current transaction, if the
     * running unit's writes are part of it. Caches of committed state drop what the transaction is about
     * to change here, so that no reader takes a cached copy for current while SQLite already shows the
     * new state and the {@link #afterCommit} hook has not yet run.
     */
    void beforeCommit(Runnable hook) {
        if (!onWriterThread()) {
            throw new IllegalStateException("commit hooks are registered inside a unit of work only");
        }
        unitBeforeCommitHooks.add(hook);
    }

    private void runHooks(List<Runnable> hooks, String what) {
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.error("database {}: a {} hook failed", database, what, e);
            }
        }
        hooks.clear();
    }

    private void transactionEnded() {
        // commit hooks not run by now belong to a transaction that did not commit
        unitBeforeCommitHooks.clear();
        unitCommitHooks.clear();
        beforeCommitHooks.clear();
        commitHooks.clear();
        if (onTransactionEnd.isEmpty()) {
            return;
        }
        List<Runnable> hooks = List.copyOf(onTransactionEnd);
        onTransactionEnd.clear();
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.error("database {}: a transaction-end hook failed", database, e);
            }
        }
    }

    /** Units waiting for the writer right now. */
    int queuedUnits() {
        return queue.size();
    }

    /** The writer's counters, for metrics. */
    public WriterStats stats() {
        return new WriterStats(commits.get(), committedUnits.get(), failedUnits.get(), queue.size(),
                (int) largestBatch.get());
    }

    /**
     * Counters of the single writer since the store opened.
     *
     * @param commits        COMMITs that succeeded
     * @param committedUnits units of work they made durable; {@code committedUnits / commits} is the
     *                       average group-commit batch
     * @param failedUnits    units that threw, timed out or lost their COMMIT
     * @param queued         units waiting now
     * @param largestBatch   most units one COMMIT has carried
     */
    public record WriterStats(long commits, long committedUnits, long failedUnits, int queued, int largestBatch) {
    }

    boolean isRunning() {
        return thread.isAlive() && !closing;
    }

    /**
     * Stops taking new units, lets the writer finish every queued one, and waits for it (at most
     * {@code timeout}). Returns false when the writer did not stop in time.
     */
    boolean shutdown(Duration timeout) {
        if (onWriterThread()) {
            throw new IllegalStateException("the store cannot be closed from inside a unit of work");
        }
        admission.writeLock().lock();
        try {
            closing = true;
        } finally {
            admission.writeLock().unlock();
        }
        if (!thread.isAlive()) {
            failLeftovers();
            closeQuietly();
            return true;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean stopped = !thread.isAlive();
        if (stopped) {
            failLeftovers();
            closeQuietly();
        }
        return stopped;
    }

    private void failLeftovers() {
        Unit<?> u;
        while ((u = queue.poll()) != null) {
            u.fail(closed());
        }
    }

    private void closeQuietly() {
        driverAutoCommit(true);
        try {
            for (java.sql.PreparedStatement ps : prepared.values()) {
                ps.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the transaction-control statements", e);
        }
    }

    private void enqueue(Unit<?> unit) {
        admission.readLock().lock();
        try {
            if (closing) {
                throw closed();
            }
            if (!queue.offer(unit, timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SqliteStoreException("database " + database + ": the writer queue stayed full for "
                        + timeoutText + " (" + queue.size() + " units waiting); nothing was written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqliteStoreException("database " + database
                    + ": interrupted while waiting for room in the writer queue; nothing was written");
        } finally {
            admission.readLock().unlock();
        }
    }

    private SqliteStoreException closed() {
        return new SqliteStoreException("database " + database + " is closed; nothing was written");
    }

    // ---------------------------------------------------------------- the writer thread

    private void runWriter() {
        List<Unit<?>> batch = new ArrayList<>(maxBatchSize);
        while (true) {
            Unit<?> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // nobody interrupts the writer on purpose; keep serving until closed
                continue;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, maxBatchSize - 1);
            largestBatch.accumulateAndGet(batch.size(), Math::max);
            try {
                runBatch(batch);
            } catch (Throwable t) {
                // never let the writer die: fail whatever this batch left undecided
                LOG.error("database {}: the writer failed a batch", database, t);
                rollbackQuietly();
                transactionEnded();
                for (Unit<?> u : batch) {
                    u.failIfPending(new SqliteStoreException("database " + database + ": write failed: " + oneLine(t), t));
                }
            }
        }
    }

    /** Runs the batch in as few transactions as possible: one, unless a failure aborts the transaction. */
    private void runBatch(List<Unit<?>> batch) {
        int next = 0;
        while (next < batch.size()) {
            transactionNumber++;
            try {
                exec("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                SqliteStoreException failure = new SqliteStoreException("database " + database
                        + ": cannot start a write transaction: " + oneLine(e), e);
                for (int i = next; i < batch.size(); i++) {
                    batch.get(i).failIfPending(failure);
                }
                return;
            }
            List<Unit<?>> executed = new ArrayList<>(batch.size() - next);
            boolean transactionLost = false;
            while (next < batch.size() && !transactionLost) {
                Unit<?> unit = batch.get(next++);
                transactionLost = !runInSavepoint(unit, executed);
            }
            if (transactionLost) {
                // SQLite rolled the whole transaction back (an I/O error, disk full): the units that had
                // already succeeded in it lost their writes too
                rollbackQuietly();
                transactionEnded();
                for (Unit<?> u : executed) {
                    u.fail(new SqliteStoreException("database " + database
                            + ": the write transaction was aborted by a failure in another unit; nothing was written"));
                }
                continue;
            }
            commit(executed);
        }
    }

    /** @return false when the enclosing transaction is gone (the savepoint cannot be rolled back) */
    private boolean runInSavepoint(Unit<?> unit, List<Unit<?>> executed) {
        if (!unit.start()) {
            return true; // abandoned while queued: never runs
        }
        unitBeforeCommitHooks.clear();
        unitCommitHooks.clear();
        unitNumber++;
        try {
            exec("SAVEPOINT unit");
        } catch (SQLException e) {
            unit.fail(new SqliteStoreException("database " + database + ": cannot start a unit of work: "
                    + oneLine(e), e));
            return false;
        }
        try {
            unit.run();
        } catch (Throwable t) {
            boolean undone = rollbackToSavepoint();
            unit.fail(t);
            return undone;
        }
        if (!unit.markExecuted()) {
            // the caller gave up while the work ran (and was told nothing was written): undo it
            return rollbackToSavepoint();
        }
        try {
            exec("RELEASE unit");
        } catch (SQLException e) {
            unit.fail(new SqliteStoreException("database " + database + ": cannot finish a unit of work: "
                    + oneLine(e), e));
            return false;
        }
        beforeCommitHooks.addAll(unitBeforeCommitHooks);
        unitBeforeCommitHooks.clear();
        commitHooks.addAll(unitCommitHooks);
        unitCommitHooks.clear();
        executed.add(unit);
        return true;
    }

    private boolean rollbackToSavepoint() {
        unitBeforeCommitHooks.clear();
        unitCommitHooks.clear();
        try {
            exec("ROLLBACK TO unit");
            exec("RELEASE unit");
            return true;
        } catch (SQLException e) {
            LOG.warn("database {}: the transaction was lost while rolling back a unit: {}", database, oneLine(e));
            return false;
        }
    }

    private void commit(List<Unit<?>> executed) {
        runHooks(beforeCommitHooks, "before-commit");
        try {
            exec("COMMIT");
        } catch (SQLException e) {
            rollbackQuietly();
            transactionEnded();
            LOG.error("database {}: COMMIT failed, {} units rolled back: {}", database, executed.size(), oneLine(e));
            for (Unit<?> u : executed) {
                u.fail(new SqliteStoreException("database " + database + ": commit failed (" + oneLine(e)
                        + "); nothing was written", e));
            }
            return;
        }
        runHooks(commitHooks, "commit");
        transactionEnded();
        commits.incrementAndGet();
        committedUnits.addAndGet(executed.size());
        for (Unit<?> u : executed) {
            u.succeed();
        }
    }

    private void rollbackQuietly() {
        try {
            exec("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active": SQLite already rolled it back
            LOG.debug("database {}: rollback: {}", database, oneLine(e));
        }
    }

    private void exec(String sql) throws SQLException {
        java.sql.PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = writer.getConnection().prepareStatement(sql);
            prepared.put(sql, ps);
        }
        ps.execute();
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    private static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    // ---------------------------------------------------------------- one unit of work

    private final class Unit<T> {
        private final Supplier<T> work;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        private T result;

        Unit(Supplier<T> work) {
            this.work = work;
        }

        boolean start() {
            return state.compareAndSet(QUEUED, RUNNING);
        }

        void run() {
            result = work.get();
        }

        /** false when the caller abandoned the unit while it ran. */
        boolean markExecuted() {
            return state.compareAndSet(RUNNING, EXECUTED);
        }

        void succeed() {
            state.set(DONE);
            outcome.complete(result);
        }

        void fail(Throwable t) {
            if (state.getAndSet(DONE) != ABANDONED) {
                failedUnits.incrementAndGet();
            }
            outcome.completeExceptionally(t);
        }

        void failIfPending(Throwable t) {
            if (!outcome.isDone()) {
                fail(t);
            }
        }

        /** Gives up on a unit that has not finished running; false once its work has completed. */
        private boolean abandon() {
            return state.compareAndSet(QUEUED, ABANDONED) || state.compareAndSet(RUNNING, ABANDONED);
        }

        T await() {
            try {
                return outcome.get(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (TimeoutException e) {
                if (abandon()) {
                    failedUnits.incrementAndGet();
                    throw new SqliteStoreException("database " + database + ": the unit of work did not commit within "
                            + timeoutText + " (" + queue.size() + " units waiting); nothing was written");
                }
                return awaitCommit();
            } catch (InterruptedException e) {
                if (abandon()) {
                    failedUnits.incrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new SqliteStoreException("database " + database
                            + ": interrupted while waiting for the unit of work; nothing was written");
                }
                try {
                    return awaitCommit();
                } finally {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The work has run; only its COMMIT is outstanding. Waits for the true outcome, bounded. */
        private T awaitCommit() {
            long deadline = System.nanoTime() + timeoutNanos;
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw rethrow(e.getCause());
                    } catch (TimeoutException e) {
                        throw new SqliteStoreException("database " + database + ": the unit of work ran but its COMMIT"
                                + " did not finish within " + timeoutText + "; it may or may not have been written");
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private RuntimeException rethrow(Throwable cause) {
            if (cause instanceof RuntimeException r) {
                return r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            // a checked exception thrown sneakily by the work: hand it back unchanged, as memory does
            throw SqliteTransactions.<RuntimeException>sneakyThrow(cause);
        }
    }
}
