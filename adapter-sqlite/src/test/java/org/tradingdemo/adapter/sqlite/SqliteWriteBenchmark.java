package org.tradingdemo.adapter.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.contract.TestData;

/**
 * A manual throughput probe of the single writer (not a test):
 * {@code java -cp <test classpath> org.tradingdemo.adapter.sqlite.SqliteWriteBenchmark [threads] [seconds] [FULL|NORMAL] [folder]}.
 * Each unit saves a trade and appends a usage record, as a trade execution does.
 */
public final class SqliteWriteBenchmark {

    private SqliteWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SqliteOptions.Synchronous sync = SqliteOptions.Synchronous.valueOf(args.length > 2 ? args[2] : "FULL");
        Path folder = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir")),
                "sqlite-bench");
        try (SqliteStore store = SqliteStore.open(folder.resolve("bench.db"), SqliteOptions.defaults().withSynchronous(sync))) {
            run(store, threads, 1, sync); // warm-up
            run(store, threads, seconds, sync);
        }
    }

    private static void run(SqliteStore store, int threads, int seconds, SqliteOptions.Synchronous sync) throws Exception {
        AgentId agent = TestData.newAgentId();
        AtomicLong units = new AtomicLong();
        SqliteTransactions.WriterStats before = store.writerStats();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    Trade trade = TestData.trade().agentId(agent).status(TradeStatus.EXECUTED).build();
                    store.transactions().run(() -> {
                        store.trades().save(trade);
                        store.usageLedger().append(TestData.volume(agent, "1500.00", TestData.T0));
                    });
                    units.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double s = (System.nanoTime() - t0) / 1e9;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sqlite-writer")) {
                System.out.printf("writer thread CPU so far: %.0f ms%n", mx.getThreadCpuTime(t.getId()) / 1e6);
            }
        }
        SqliteTransactions.WriterStats after = store.writerStats();
        long commits = after.commits() - before.commits();
        System.out.printf("%d threads, %.1f s, synchronous=%s: %d units (%.0f units/s), %d commits (%.0f commits/s,"
                        + " %.1f units per commit)%n", threads, s, sync, units.get(), units.get() / s, commits, commits / s,
                (double) units.get() / Math.max(1, commits));
    }
}
