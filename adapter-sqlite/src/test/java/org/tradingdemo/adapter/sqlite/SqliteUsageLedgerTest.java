package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.port.contract.AbstractUsageLedgerContract;

/** The UsageLedger contract on a SQLite file shared by the tests of this class (they isolate by fresh ids). */
class SqliteUsageLedgerTest extends AbstractUsageLedgerContract<SqliteUsageLedger> {

    @TempDir
    static Path dir;
    static SqliteStore store;

    @BeforeAll
    static void openStore() {
        store = TestStores.open(dir.resolve("usageLedger.db"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected SqliteUsageLedger create() {
        return store.usageLedger();
    }
}
