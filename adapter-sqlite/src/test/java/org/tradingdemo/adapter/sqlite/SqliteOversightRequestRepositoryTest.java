package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.port.contract.AbstractOversightRequestRepositoryContract;

/** The OversightRequestRepository contract on a SQLite file shared by the tests of this class (they isolate by fresh ids). */
class SqliteOversightRequestRepositoryTest extends AbstractOversightRequestRepositoryContract<SqliteOversightRequestRepository> {

    @TempDir
    static Path dir;
    static SqliteStore store;

    @BeforeAll
    static void openStore() {
        store = TestStores.open(dir.resolve("oversightRequests.db"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected SqliteOversightRequestRepository create() {
        return store.oversightRequests();
    }
}
