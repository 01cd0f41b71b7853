package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.port.contract.AbstractAlertRepositoryContract;

/** The AlertRepository contract on a SQLite file shared by the tests of this class (they isolate by fresh ids). */
class SqliteAlertRepositoryTest extends AbstractAlertRepositoryContract<SqliteAlertRepository> {

    @TempDir
    static Path dir;
    static SqliteStore store;

    @BeforeAll
    static void openStore() {
        store = TestStores.open(dir.resolve("alerts.db"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected SqliteAlertRepository create() {
        return store.alerts();
    }
}
