package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.adapter.sqlite.SqliteTransactions;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * 64 HTTP clients writing at once - agents created, trades executed, trades put up for approval and
 * cancelled - against one SQLite file with synchronous=FULL. The single writer with group commit
 * must make that look like any other load: no 5xx at all, no answer and no log line about a busy
 * or locked database, and books that add up afterwards.
 *
 * <p>Duration: {@code -De2e.concurrentWriters.seconds=N} (default 10, 1 to 120).
 */
class ConcurrentWritersE2ETest {

    private static final int CLIENTS = 64;
    private static final BigDecimal BUDGET = new BigDecimal("100000");
    /** The in-process quota and approval (no gRPC hop per trade): as much write pressure on the file as possible. */
    private static final Map<String, String> SETTINGS = Map.of("STORE", "sqlite", "SQLITE_SYNCHRONOUS", "full",
            "QUOTA_DAILY_MULTIPLIER", "100", "METERING_GRPC_URL", "local", "OVERSIGHT_GRPC_URL", "local");
    private static final List<String> BUSY = List.of("SQLITE_BUSY", "database is locked", "SQLITE_LOCKED");

    @TempDir
    Path dataDir;

    static Duration duration() {
        long seconds = Long.getLong("e2e.concurrentWriters.seconds", 10);
        return Duration.ofSeconds(Math.max(1, Math.min(120, seconds)));
    }

    /** What the clients saw. */
    private static final class Tally {
        final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final List<String> agents = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong requests = new AtomicLong();

        Response check(String what, Response r) {
            requests.incrementAndGet();
            byStatus.computeIfAbsent(r.status(), s -> new AtomicLong()).incrementAndGet();
            String lower = r.body().toLowerCase(Locale.ROOT);
            boolean busy = BUSY.stream().anyMatch(b -> lower.contains(b.toLowerCase(Locale.ROOT)));
            if (r.status() >= 500 || busy || r.status() < 200 || r.status() > 299) {
                problems.add(what + ": " + r.status() + " " + r.body());
            }
            return r;
        }
    }

    @Test
    void sixtyFourWritersGetNoServerErrorAndNoBusyDatabase() throws Exception {
        E2e.Laps laps = new E2e.Laps("ConcurrentWritersE2ETest timings");
        Duration duration = duration();
        Tally tally = new Tally();
        try (LogCapture logs = new LogCapture();
             TradingServer server = TradingServer.start(E2e.config(dataDir, SETTINGS))) {
            Api api = new Api(server.baseUrl());
            String trader = api.login("trader");
            laps.lap("start and login");

            SqliteTransactions.WriterStats before = stats(server);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long[] window = new long[2];
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    pool.execute(() -> write(api, trader, client, go, duration, tally));
                }
                window[0] = System.nanoTime();
                go.countDown();
                pool.shutdown();
                assertTrue(pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS),
                        "the clients finish within their time plus a minute");
                window[1] = System.nanoTime();
            } finally {
                pool.shutdownNow();
            }
            SqliteTransactions.WriterStats after = stats(server);
            laps.lap("load");

            assertEquals(List.of(), tally.problems.subList(0, Math.min(20, tally.problems.size())),
                    tally.problems.size() + " answers that were not 2xx (first 20 shown)");
            assertEquals(List.of(), logs.mentioning(BUSY.toArray(String[]::new)), "busy/locked in the server's log");
            assertEquals(List.of(), logs.warnings(), "warnings during the load");

            // and the books add up: every agent's portfolio is the replay of its trades, usage has each one
            Map<String, JsonNode> pending = BookAudit.pendingRequestsByTrade(api, api.login("approver"));
            assertEquals(Map.of(), pending, "every trade put up for approval was cancelled");
            long trades = 0;
            for (String agent : tally.agents) {
                BookAudit.Books b = BookAudit.read(api, trader, agent, BUDGET);
                BookAudit.assertConsistent(b, pending, BookAudit.Quota.EXECUTED_AND_PENDING);
                trades += b.trades().size();
            }
            laps.lap("audit");

            double seconds = (window[1] - window[0]) / 1e9;
            long commits = after.commits() - before.commits();
            long units = after.committedUnits() - before.committedUnits();
            System.out.printf(Locale.ROOT, "ConcurrentWritersE2ETest: %d clients for %.1f s: %d requests (%.0f/s), "
                            + "statuses %s; %d agents, %d trades; writer: %d units in %d commits (%.1f units/commit, "
                            + "largest batch %d, %d failed units)%n",
                    CLIENTS, seconds, tally.requests.get(), tally.requests.get() / seconds, new TreeMap<>(tally.byStatus),
                    tally.agents.size(), trades, units, commits, commits == 0 ? 0.0 : (double) units / commits,
                    after.largestBatch(), after.failedUnits() - before.failedUnits());
            laps.print();
        }
    }

    /** One client: a new agent every 15 operations; buys, sells, and a $60,000 order it then cancels. */
    private static void write(Api api, String trader, int client, CountDownLatch go, Duration duration, Tally tally) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long deadline = System.nanoTime() + duration.toNanos();
        String agent = null;
        int held = 0;
        try {
            for (int n = 0; System.nanoTime() < deadline; n++) {
                if (n % 15 == 0) {
                    Response r = tally.check("create agent", api.post("/api/v1/agents", trader, "{\"name\":\"Writer "
                            + client + "-" + n + "\",\"budget\":" + BUDGET.toPlainString()
                            + ",\"strategy\":\"balanced\",\"riskTolerance\":\"medium\"}"));
                    if (r.status() != 201) {
                        return;
                    }
                    agent = r.text("id");
                    tally.agents.add(agent);
                    held = 0;
                } else if (n % 15 == 7) {
                    Response r = tally.check("large order", api.trade(trader, agent, "MSFT", "buy", "150", "400"));
                    if (r.status() == 202) {
                        tally.check("cancel", api.post("/api/v1/trades/" + r.json().path("trade").path("id").asText()
                                + "/cancel", trader, "{\"reason\":\"load test\"}"));
                    }
                } else if (n % 3 == 0 && held > 0) {
                    if (tally.check("sell", api.trade(trader, agent, "AAPL", "sell", "1", "160")).status() == 201) {
                        held--;
                    }
                } else {
                    if (tally.check("buy", api.trade(trader, agent, "AAPL", "buy", "1", "150")).status() == 201) {
                        held++;
                    }
                }
            }
        } catch (UncheckedIOException | AssertionError e) {
            tally.problems.add("client " + client + ": " + e);
        }
    }

    private static SqliteTransactions.WriterStats stats(TradingServer server) {
        return ((SqliteTransactions) server.demo().store().transactions()).stats();
    }
}
