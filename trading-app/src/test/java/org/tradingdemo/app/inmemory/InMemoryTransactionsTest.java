package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.port.contract.AbstractTransactionsContract;

class InMemoryTransactionsTest extends AbstractTransactionsContract {

    @Override
    protected Fixture create() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        return new Fixture(transactions, new InMemoryAgentRepository(transactions), new InMemoryTradeRepository(transactions),
                new InMemoryPortfolioRepository(transactions), new InMemoryOversightRequestRepository(transactions),
                new InMemoryAlertRepository(transactions), new InMemoryUsageLedger(transactions));
    }

    @Test
    void aFailingValidatorAbortsTheWritesOfEveryTable() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryTable<String, String> checked = new InMemoryTable<>(transactions, "checked");
        InMemoryTable<String, String> other = new InMemoryTable<>(transactions, "other");
        checked.beforeCommit(staged -> {
            if (staged.containsValue("bad")) {
                throw new IllegalArgumentException("bad value");
            }
        });

        assertThrows(IllegalArgumentException.class, () -> transactions.run(() -> {
            other.put("k", "written first");
            checked.put("k", "bad");
        }));

        assertEquals(Optional.empty(), other.get("k"));
        assertEquals(Optional.empty(), checked.get("k"));
    }

    @Test
    void listenersSeeEveryAppliedWriteWithItsPreviousValue() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryTable<String, String> table = new InMemoryTable<>(transactions, "t");
        List<String> seen = new ArrayList<>();
        table.onCommit((key, before, after) -> seen.add(key + ":" + before.orElse("-") + "->" + after));

        table.put("a", "1");
        transactions.run(() -> {
            table.put("a", "2");
            table.put("a", "3");
            table.put("b", "1");
            assertEquals(1, seen.size(), "nothing applied before commit");
        });
        assertFalse(table.putIfAbsent("b", "2"));

        assertEquals(List.of("a:-->1", "a:1->3", "b:-->1"), seen);
    }

    @Test
    void aReadThatTriesToWriteFailsInsteadOfDeadlocking() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryTable<String, String> table = new InMemoryTable<>(transactions, "t");

        assertThrows(IllegalStateException.class, () -> transactions.read(() -> {
            table.put("k", "v");
            return null;
        }));
        assertEquals(Optional.empty(), table.get("k"));
    }

    @Test
    void concurrentAutocommitInsertsIfAbsentLetExactlyOneWriterWinEachKey() throws Exception {
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryTable<String, Integer> table = new InMemoryTable<>(transactions, "t");
        Map<String, Integer> winners = new ConcurrentHashMap<>();
        AtomicInteger doubleWins = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        if (table.putIfAbsent("key-" + i, writer) && winners.putIfAbsent("key-" + i, writer) != null) {
                            doubleWins.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(0, doubleWins.get());
        assertEquals(1_000, winners.size());
        winners.forEach((key, writer) -> assertEquals(Optional.of(writer), table.get(key)));
    }
}
