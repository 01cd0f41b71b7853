package org.tradingdemo.adapter.sqlite;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of read-only connections for reads outside a unit of work. In WAL mode each read sees
 * the last committed snapshot and never blocks the writer, nor is blocked by it.
 */
final class ReaderPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderPool.class);

    private final String database;
    private final List<Handle> all;
    private final ArrayBlockingQueue<Handle> idle;
    private final long timeoutNanos;
    private volatile boolean closed;

    ReaderPool(String database, List<Handle> handles, long timeoutNanos) {
        this.database = database;
        this.all = List.copyOf(handles);
        this.idle = new ArrayBlockingQueue<>(handles.size(), false, handles);
        this.timeoutNanos = timeoutNanos;
    }

    /** One or more statements, each on its own committed snapshot. */
    <T> T read(Function<Handle, T> read) {
        Handle h = borrow();
        try {
            return read.apply(h);
        } finally {
            idle.offer(h);
        }
    }

    /** Several statements on ONE committed snapshot (a read transaction). */
    <T> T readSnapshot(Function<Handle, T> read) {
        Handle h = borrow();
        try {
            Jdbc.update(h, "BEGIN");
            boolean done = false;
            try {
                T result = read.apply(h);
                done = true;
                return result;
            } finally {
                endQuietly(h, done ? "COMMIT" : "ROLLBACK");
            }
        } finally {
            idle.offer(h);
        }
    }

    private void endQuietly(Handle h, String sql) {
        try {
            Jdbc.update(h, sql);
        } catch (RuntimeException e) {
            LOG.debug("database {}: {} on a reader: {}", database, sql, e.getMessage());
        }
    }

    private Handle borrow() {
        if (closed) {
            throw new SqliteStoreException("database " + database + " is closed");
        }
        try {
            Handle h = idle.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (h == null) {
                throw new SqliteStoreException("database " + database + ": no reader connection became free within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            return h;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqliteStoreException("database " + database + ": interrupted while waiting for a reader connection");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Handle h : all) {
            try {
                h.close();
            } catch (RuntimeException e) {
                LOG.debug("database {}: closing a reader: {}", database, e.getMessage());
            }
        }
    }
}
