package org.tradingdemo.adapter.sqlite;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.port.contract.AbstractTransactionsContract;

/** The unit-of-work contract on SQLite: every repository of one store joins its single-writer transactions. */
class SqliteTransactionsTest extends AbstractTransactionsContract {

    @TempDir
    static Path dir;
    static SqliteStore sqlite;

    @BeforeAll
    static void openStore() {
        sqlite = TestStores.open(dir.resolve("transactions.db"));
    }

    @AfterAll
    static void closeStore() {
        sqlite.close();
    }

    @Override
    protected Fixture create() {
        return new Fixture(sqlite.transactions(), sqlite.agents(), sqlite.trades(), sqlite.portfolios(),
                sqlite.oversightRequests(), sqlite.alerts(), sqlite.usageLedger());
    }
}
