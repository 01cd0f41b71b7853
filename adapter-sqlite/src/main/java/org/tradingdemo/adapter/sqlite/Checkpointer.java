package org.tradingdemo.adapter.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the write-ahead log into the database file, on its own thread and its
 * own connection, so the single writer never does it.
 *
 * <p>SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages: that commit
 * then copies the pages and (with {@code synchronous=NORMAL} or stronger) fsyncs the WAL and the
 * database file, while every unit queued behind it waits. Here this thread runs
 * {@code PRAGMA wal_checkpoint(PASSIVE)} every {@code interval}: PASSIVE never waits for readers or
 * the writer and never blocks them, it copies what it can.
 *
 * <p><b>The log's size.</b> The log starts again from its beginning only when a writer begins a
 * transaction while every frame has been copied. Under steady load the writer keeps appending while
 * this thread copies, so that moment may never come, and with no checkpoint of its own the log grew
 * by ~30 KB per unit without bound (measured: 1.3 GB in 12 s). So the writer keeps SQLite's automatic
 * checkpoint with a higher threshold ({@link #WRITER_AUTOCHECKPOINT_PAGES}): when the log reaches it,
 * the writer's COMMIT runs a checkpoint that finds nearly everything already copied by this thread,
 * copies the rest, and the log restarts. Measured with 40 writers: the log stays at ~20-25 MB.
 *
 * <p>Durability is unchanged: a COMMIT still appends the transaction to the WAL before it returns
 * (and fsyncs it with {@code synchronous=FULL}); a checkpoint only moves committed data, and
 * recovery after a crash replays whatever it had not yet moved.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    /** The writer connection's {@code wal_autocheckpoint}: the bound on the log (~40 MB of 4 KiB pages). */
    static final int WRITER_AUTOCHECKPOINT_PAGES = 10_000;

    private final String database;
    private final Connection connection;
    private final long intervalNanos;
    private final Thread thread;
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean stopping;

    Checkpointer(String database, Connection connection, Duration interval) {
        this.database = database;
        this.connection = connection;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, "sqlite-checkpointer " + database);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Checkpoints run so far (for tests and diagnostics). */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        while (!stopping) {
            LockSupport.parkNanos(intervalNanos);
            if (stopping) {
                return;
            }
            checkpoint();
        }
    }

    /** One PASSIVE checkpoint; a failure is logged and the next interval tries again. */
    synchronized void checkpoint() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && LOG.isTraceEnabled()) {
                LOG.trace("database {}: checkpoint: busy={} log={} copied={}", database, rs.getInt(1), rs.getInt(2),
                        rs.getInt(3));
            }
            checkpoints.incrementAndGet();
        } catch (SQLException e) {
            LOG.warn("database {}: checkpoint failed (retried in {} ms): {}", database,
                    TimeUnit.NANOSECONDS.toMillis(intervalNanos), SqliteTransactions.oneLine(e));
        } catch (RuntimeException e) {
            LOG.error("database {}: checkpoint failed", database, e);
        }
    }

    /** Stops the thread (waiting at most {@code timeout}) and closes the connection. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("database {}: the checkpointer did not stop; leaving its connection open", database);
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("database {}: closing the checkpointer connection: {}", database, SqliteTransactions.oneLine(e));
        }
    }
}
