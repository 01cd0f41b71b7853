package org.tradingdemo.adapter.sqlite;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Optional;

import org.sqlite.SQLiteException;

/** Turns whatever went wrong while opening a database into ONE line a person can act on. */
final class OpenFailures {

    private OpenFailures() {
    }

    static SqliteStoreException explain(String database, Throwable failure) {
        if (failure instanceof SqliteStoreException s) {
            return s;
        }
        Optional<SQLException> sql = find(failure, SQLException.class);
        if (sql.isPresent()) {
            return new SqliteStoreException(sqlite(database, sql.get()), failure);
        }
        Optional<FileSystemException> fs = find(failure, FileSystemException.class);
        if (fs.isPresent()) {
            return new SqliteStoreException("cannot use database " + database + ": " + fileSystem(fs.get()), failure);
        }
        if (failure instanceof LinkageError) {
            return new SqliteStoreException("cannot open database " + database + ": the SQLite native library did not load ("
                    + SqliteTransactions.oneLine(failure) + ")", failure);
        }
        return new SqliteStoreException("cannot open database " + database + ": " + SqliteTransactions.oneLine(failure),
                failure);
    }

    /** A file system refusal, e.g. "cannot create folder /x/y (permission denied)". */
    static String fileSystem(FileSystemException e) {
        String path = e.getFile() == null ? "" : " " + e.getFile();
        if (e instanceof AccessDeniedException) {
            return "permission denied on" + path;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder" + path;
        }
        if (e instanceof FileAlreadyExistsException) {
            return path.strip() + " exists and is not a folder";
        }
        String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return reason.toLowerCase(java.util.Locale.ROOT) + (path.isEmpty() ? "" : ":" + path);
    }

    private static String sqlite(String database, SQLException e) {
        String detail = detail(e);
        if (!(e instanceof SQLiteException s)) {
            return "cannot open database " + database + ": " + detail;
        }
        int base = s.getResultCode().code & 0xFF;
        return switch (base) {
            case 26 -> "database " + database + " is not a SQLite database (" + detail + "); refusing to start";
            case 11 -> "database " + database + " is corrupt (" + detail + "); restore it from a backup; refusing to start";
            case 14 -> "cannot open database " + database + " (" + detail + "); check that its folder exists and is writable";
            case 8 -> "database " + database + " is read-only (" + detail
                    + "); the store must be able to write it and its -wal and -shm files";
            case 5, 6 -> "database " + database + " is locked by another process (" + detail + "); refusing to start";
            case 13 -> "database " + database + ": the disk is full (" + detail + ")";
            case 10 -> "database " + database + ": I/O error (" + detail + ")";
            case 3, 23 -> "database " + database + ": permission denied (" + detail + ")";
            default -> "cannot open database " + database + ": " + detail;
        };
    }

    /** The SQLite message without the driver's "[SQLITE_X] ..." prefix, on one line. */
    private static String detail(SQLException e) {
        String m = SqliteTransactions.oneLine(e);
        int open = m.lastIndexOf('(');
        if (m.startsWith("[SQLITE_") && open > 0 && m.endsWith(")")) {
            return m.substring(open + 1, m.length() - 1);
        }
        return m;
    }

    /** The first {@code type} in the cause chain. */
    private static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }
}
