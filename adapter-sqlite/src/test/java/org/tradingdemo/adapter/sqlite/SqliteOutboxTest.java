package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.port.contract.AbstractOutboxContract;

/** The outbox contract on a SQLite file shared by the tests of this class. */
class SqliteOutboxTest extends AbstractOutboxContract<SqliteOutbox> {

    @TempDir
    static Path dir;
    static SqliteStore store;

    @BeforeAll
    static void openStore() {
        store = TestStores.open(dir.resolve("outbox.db"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected Fixture<SqliteOutbox> create() {
        return new Fixture<>(store.transactions(), store.outbox());
    }
}
