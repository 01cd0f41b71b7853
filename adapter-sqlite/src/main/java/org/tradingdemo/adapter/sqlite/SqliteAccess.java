package org.tradingdemo.adapter.sqlite;

import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * How a repository reaches the database: inside a unit of work (on the writer thread) everything
 * uses the writer connection, so the unit reads its own writes; outside one, reads go to a reader
 * connection and each write becomes a unit of its own.
 */
final class SqliteAccess {

    private final SqliteTransactions transactions;
    private final ReaderPool readers;

    SqliteAccess(SqliteTransactions transactions, ReaderPool readers) {
        this.transactions = transactions;
        this.readers = readers;
    }

    /** A read of one statement (or of statements that need not agree with each other). */
    <T> T read(Function<Handle, T> read) {
        return transactions.onWriterThread() ? read.apply(transactions.writerHandle()) : readers.read(read);
    }

    /** A read of several statements that must see one committed state. */
    <T> T readSnapshot(Function<Handle, T> read) {
        return transactions.onWriterThread() ? read.apply(transactions.writerHandle()) : readers.readSnapshot(read);
    }

    <T> T write(Function<Handle, T> write) {
        return transactions.write(write);
    }

    void update(Consumer<Handle> write) {
        transactions.write(h -> {
            write.accept(h);
            return null;
        });
    }

    /** Whether a statement failed on a UNIQUE (or primary key) constraint. */
    static boolean isUniqueViolation(RuntimeException e) {
        if (!(e instanceof StatementException) && !(e instanceof SqliteStoreException)) {
            return false;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof SQLiteException s) {
                SQLiteErrorCode code = s.getResultCode();
                return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
            }
            if (c instanceof SQLException s && s.getMessage() != null && s.getMessage().contains("UNIQUE constraint failed")) {
                return true;
            }
        }
        return false;
    }
}
