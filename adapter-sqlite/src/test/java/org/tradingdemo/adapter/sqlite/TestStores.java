package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opening stores and raw connections in tests. */
final class TestStores {

    private TestStores() {
    }

    /** A store with the production defaults (synchronous=FULL, quick_check on open). */
    static SqliteStore open(Path file) {
        return SqliteStore.open(file, SqliteOptions.defaults());
    }

    /** A plain JDBC connection to the file, bypassing the store (to tamper with it). */
    static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }
}
