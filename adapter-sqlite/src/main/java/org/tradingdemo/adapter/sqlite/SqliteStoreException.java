package org.tradingdemo.adapter.sqlite;

/**
 * The SQLite store cannot do what was asked: it refuses to open a file (corrupt, not a database,
 * written by a newer version, unwritable location, in use), or a unit of work could not be committed
 * (timeout, interrupted, disk error, store closed). The message is one line meant for a human (a log
 * line, the launcher's start-up error); the cause, when there is one, is for the debug log.
 */
public class SqliteStoreException extends RuntimeException {

    public SqliteStoreException(String message) {
        super(message);
    }

    public SqliteStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
