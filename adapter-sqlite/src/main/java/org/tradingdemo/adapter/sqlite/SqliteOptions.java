package org.tradingdemo.adapter.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SqliteStore} runs. {@link #defaults()} suits the service; tests shorten the timeouts.
 *
 * @param synchronous        how hard a commit waits for the disk; see {@link Synchronous}
 * @param busyTimeout        how long a connection waits on a lock held by another connection (a
 *                           checkpoint, another process) before failing; the store's own writes never
 *                           wait on each other, there is one writer
 * @param readerConnections  read-only connections for reads outside a unit of work (WAL lets them run
 *                           alongside the writer)
 * @param writeQueueCapacity units of work that may wait for the writer; a caller finding the queue full
 *                           waits (up to {@code writeTimeout}) for room
 * @param maxBatchSize       most units of work committed by one COMMIT
 * @param writeTimeout       how long a caller waits for its unit of work to commit, and for room in the
 *                           queue, before it gets a {@link SqliteStoreException}
 * @param readTimeout        how long a read waits for a free reader connection
 * @param quickCheckOnOpen   run {@code PRAGMA quick_check} when opening, so a corrupt file is refused at
 *                           start rather than failing a request later; reads the whole file once
 */
public record SqliteOptions(Synchronous synchronous, Duration busyTimeout, int readerConnections,
                            int writeQueueCapacity, int maxBatchSize, Duration writeTimeout, Duration readTimeout,
                            boolean quickCheckOnOpen) {

    /**
     * SQLite's {@code PRAGMA synchronous} in WAL mode. A commit always writes the transaction to the
     * write-ahead log before COMMIT returns; the modes differ in whether it also waits for the disk.
     * See the class Javadoc of {@link SqliteStore} and {@code adapter-sqlite/README.md}.
     */
    public enum Synchronous {
        /**
         * No fsync at commit; the WAL is synced only at checkpoints. A killed process loses nothing
         * (the operating system still holds the written WAL pages), but a power cut or kernel crash can
         * lose the transactions committed since the last checkpoint. The database stays consistent.
         */
        NORMAL,
        /**
         * fsync of the WAL at every commit (once per group commit here). A commit that returned
         * survives a killed process and a power cut, given a disk that honours fsync. The default.
         */
        FULL,
        /** FULL plus an fsync of the directory when the WAL is created or deleted. */
        EXTRA
    }

    public SqliteOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        requirePositive(busyTimeout, "busyTimeout");
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(readTimeout, "readTimeout");
        if (readerConnections < 1 || readerConnections > 64) {
            throw new IllegalArgumentException("readerConnections must be between 1 and 64");
        }
        if (writeQueueCapacity < 1) {
            throw new IllegalArgumentException("writeQueueCapacity must be at least 1");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1");
        }
    }

    /** FULL durability, 5 s busy timeout, 4 readers, 1,024 queued units, batches of up to 256, 10 s timeouts. */
    public static SqliteOptions defaults() {
        return new SqliteOptions(Synchronous.FULL, Duration.ofSeconds(5), 4, 1024, 256, Duration.ofSeconds(10),
                Duration.ofSeconds(10), true);
    }

    public SqliteOptions withSynchronous(Synchronous value) {
        return new SqliteOptions(value, busyTimeout, readerConnections, writeQueueCapacity, maxBatchSize,
                writeTimeout, readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withBusyTimeout(Duration value) {
        return new SqliteOptions(synchronous, value, readerConnections, writeQueueCapacity, maxBatchSize,
                writeTimeout, readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withReaderConnections(int value) {
        return new SqliteOptions(synchronous, busyTimeout, value, writeQueueCapacity, maxBatchSize, writeTimeout,
                readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withWriteQueueCapacity(int value) {
        return new SqliteOptions(synchronous, busyTimeout, readerConnections, value, maxBatchSize, writeTimeout,
                readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withMaxBatchSize(int value) {
        return new SqliteOptions(synchronous, busyTimeout, readerConnections, writeQueueCapacity, value,
                writeTimeout, readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withWriteTimeout(Duration value) {
        return new SqliteOptions(synchronous, busyTimeout, readerConnections, writeQueueCapacity, maxBatchSize,
                value, readTimeout, quickCheckOnOpen);
    }

    public SqliteOptions withReadTimeout(Duration value) {
        return new SqliteOptions(synchronous, busyTimeout, readerConnections, writeQueueCapacity, maxBatchSize,
                writeTimeout, value, quickCheckOnOpen);
    }

    public SqliteOptions withQuickCheckOnOpen(boolean value) {
        return new SqliteOptions(synchronous, busyTimeout, readerConnections, writeQueueCapacity, maxBatchSize,
                writeTimeout, readTimeout, value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
