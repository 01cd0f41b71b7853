package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * SIGKILL under load. The launcher runs in a child JVM on a SQLite file; 16 clients submit trades
 * (small ones that execute at once and $60,000 ones that wait for approval) while an approver
 * decides, and the child is killed in the middle of it. A new server on the same file must hold
 * every trade that was acknowledged with its acknowledged status, books that are the replay of their
 * own trades (nothing half-applied), and an outbox that drains.
 */
class CrashE2ETest {

    private static final int CLIENTS = 16;
    private static final Duration LOAD = Duration.ofSeconds(3);
    private static final BigDecimal BUDGET = new BigDecimal("1000000");
    /** Orders of $60,000 (which wait for approval) per agent: 8 hold at most $480,000 of its budget. */
    private static final int MAX_BIG = 8;
    /**
     * SQLite with synchronous=NORMAL (the default: nothing is lost on kill -9), the in-process quota and
     * approval adapters, a quota far above what 3 s of trading reaches.
     */
    private static final Map<String, String> LOCAL = Map.of("STORE", "sqlite", "SQLITE_SYNCHRONOUS", "normal",
            "QUOTA_DAILY_MULTIPLIER", "100", "METERING_GRPC_URL", "local", "OVERSIGHT_GRPC_URL", "local");
    /** The same with the default wiring: embedded metering and oversight reference servers over gRPC. */
    private static final Map<String, String> EMBEDDED = Map.of("STORE", "sqlite", "SQLITE_SYNCHRONOUS", "normal",
            "QUOTA_DAILY_MULTIPLIER", "100");

    @TempDir
    Path dataDir;

    /** What the clients were told, while the child ran. */
    private static final class Acknowledged {
        /** trade id -> the status of its last 2xx answer */
        final Map<String, String> status = new ConcurrentHashMap<>();
        /** trade id -> what a decision sent for it would make it, whether or not its answer arrived */
        final Map<String, String> decisionSent = new ConcurrentHashMap<>();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger executed = new AtomicInteger();
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger decided = new AtomicInteger();
        final AtomicInteger refusedForFunds = new AtomicInteger();
    }

    @Test
    void aKilledServerLosesNoAcknowledgedTradeAndLeavesNothingHalfDone() throws Exception {
        killUnderLoadThenRestart(LOCAL, BookAudit.Quota.EXECUTED_ONLY);
    }

    /**
     * The default wiring: the embedded metering and oversight reference servers keep their state in
     * memory and start empty after the kill. The launcher restores the metering book from the durable
     * ledger (executed volume of the day and month, reservations of trades awaiting approval), and
     * outbox reports to the new oversight server settle (submit first, then decide), so the backlog
     * drains and quota figures equal executed volume plus pending reservations.
     */
    @Test
    void aKilledServerWithTheEmbeddedReferenceServicesRecoversToo() throws Exception {
        killUnderLoadThenRestart(EMBEDDED, BookAudit.Quota.EXECUTED_AND_PENDING);
    }

    private void killUnderLoadThenRestart(Map<String, String> settings, BookAudit.Quota quota) throws Exception {
        E2e.Laps laps = new E2e.Laps("CrashE2ETest timings");
        Map<String, String> env = E2e.env(dataDir, settings);
        Acknowledged acked = new Acknowledged();
        List<String> agents = new ArrayList<>();
        String trader;
        String approver;
        long killedAt;
        try (ChildJvm child = ChildJvm.start(dataDir, "server", env, "serve", "--port", "0")) {
            Api api = new Api(child.awaitUrl(Duration.ofSeconds(90)));
            laps.lap("child JVM listening");
            trader = api.login("trader");
            approver = api.login("approver");
            laps.lap("logins");

            // while the child holds the file, a second server on it is refused with one line
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Main.run(new String[] {"serve"}, env, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), s -> { }));
            String refusal = err.toString(StandardCharsets.UTF_8);
            assertTrue(refusal.startsWith("error: database ") && refusal.contains("is in use by another process")
                    && refusal.strip().lines().count() == 1, refusal);

            for (int i = 0; i < CLIENTS; i++) {
                agents.add(api.createAgent(trader, "Crash-" + i, BUDGET.toPlainString(), "balanced", "medium"));
            }
            laps.lap("second-server refusal and agents");
            killedAt = loadThenKill(child, api, trader, approver, agents, acked);
            laps.lap("load and SIGKILL");
            assertTrue(!child.isAlive(), "killed");
            String stderr = child.stderr();
            assertTrue(!stderr.contains("SQLITE_BUSY") && !stderr.contains("database is locked"), stderr);
        }
        assertEquals(List.of(), acked.unexpected, "answers other than 2xx before the kill");
        assertTrue(acked.executed.get() > 0 && acked.waiting.get() > 0, "the load ran: " + acked.status.size());

        try (LogCapture logs = new LogCapture();
             TradingServer server = TradingServer.start(E2e.config(dataDir, settings))) {
            laps.lap("restart");
            long restartedAt = System.nanoTime();
            long backlogAtRestart = server.demo().outboxRelay().backlog();
            Api api = new Api(server.baseUrl());
            // the JWT key is the same: the tokens from before the crash still verify

            Map<String, JsonNode> all = auditEveryAgent(api, trader, approver, agents, quota);
            laps.lap("audit");
            int recovered = 0;
            List<String> lost = new ArrayList<>();
            for (Map.Entry<String, String> e : acked.status.entrySet()) {
                JsonNode trade = all.get(e.getKey());
                String now = trade == null ? "missing" : trade.path("status").asText();
                String decided = acked.decisionSent.get(e.getKey());
                if (now.equals(e.getValue()) || (e.getValue().equals("pending_approval") && now.equals(decided))) {
                    recovered++;
                } else {
                    lost.add(e.getKey() + ": acknowledged " + e.getValue() + ", now " + now);
                }
            }
            assertEquals(List.of(), lost, "acknowledged trades lost or changed by the crash");
            int unacknowledged = all.size() - recovered;

            // it serves on: the trades left awaiting approval can be decided, new ones execute
            List<String> stillWaiting = all.values().stream()
                    .filter(t -> t.path("status").asText().equals("pending_approval"))
                    .map(t -> t.path("id").asText()).toList();
            Map<String, JsonNode> requests = BookAudit.pendingRequestsByTrade(api, approver);
            for (int i = 0; i < Math.min(4, stillWaiting.size()); i++) {
                String requestId = requests.get(stillWaiting.get(i)).path("id").asText();
                api.post("/api/v1/oversight/requests/" + requestId + (i % 2 == 0 ? "/approve" : "/reject"), approver,
                        "{\"comment\":\"decided after the crash\"}").expect(200);
            }
            for (String agent : agents.subList(0, 4)) {
                api.trade(trader, agent, "AAPL", "buy", "1", "150").expect(201);
            }

            laps.lap("decisions and trades after the restart");
            // the outbox: what the kill left undelivered or unacknowledged is delivered, once
            long drainStart = System.nanoTime();
            long deadline = drainStart + Duration.ofSeconds(30).toNanos();
            while (server.demo().outboxRelay().backlog() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, server.demo().outboxRelay().backlog(), "outbox backlog after restart");
            long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
            laps.lap("outbox drained");
            Map<String, JsonNode> end = auditEveryAgent(api, trader, approver, agents, quota);
            // the local quota's completions and releases never leave the process: no outbox rows for them
            assertEachReservationEndedOnce(dataDir.resolve("trading.db"), end, settings != LOCAL);
            int unknownReservations = assertNoRepeatedOrUnexpectedWarnings(logs.warnings());
            laps.lap("second audit");

            System.out.printf("CrashE2ETest: %d trades acknowledged before SIGKILL (%d executed, %d awaiting approval, "
                            + "%d decisions); %d recovered, %d committed but unacknowledged; outbox backlog %d at "
                            + "restart, drained %d ms later (restart took %d ms after the kill); %d completions of "
                            + "reservations unknown to the metering server%n",
                    acked.status.size(), acked.executed.get(), acked.waiting.get(), acked.decided.get(), recovered,
                    unacknowledged, backlogAtRestart, drainMillis, (restartedAt - killedAt) / 1_000_000,
                    unknownReservations);
            laps.print();
        }
    }

    /** Runs the clients and the approver for {@link #LOAD}, SIGKILLs the child while they run, stops them. */
    private static long loadThenKill(ChildJvm child, Api api, String trader, String approver, List<String> agents,
                                     Acknowledged acked) throws InterruptedException {
        AtomicBoolean killed = new AtomicBoolean();
        BlockingQueue<String[]> toDecide = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(agents.size() + 1);
        try {
            for (String agent : agents) {
                pool.execute(() -> trade(api, trader, agent, acked, toDecide, killed));
            }
            pool.execute(() -> decide(api, approver, acked, toDecide, killed));
            Thread.sleep(LOAD.toMillis());
            killed.set(true);
            child.kill();
            long killedAt = System.nanoTime();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the clients stop once the server is gone");
            return killedAt;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void trade(Api api, String trader, String agent, Acknowledged acked, BlockingQueue<String[]> toDecide,
                              AtomicBoolean killed) {
        int held = 0;
        int bigs = 0;
        for (int n = 1; !killed.get(); n++) {
            // at most MAX_BIG orders awaiting approval per agent: the one approver decides slower than 16
            // clients submit, and every undecided order holds $60,000 of the agent's cash
            boolean big = n % 8 == 0 && bigs < MAX_BIG;
            if (big) {
                bigs++;
            }
            boolean sell = !big && n % 3 == 0 && held > 0;
            Response r;
            try {
                if (big) {
                    r = api.trade(trader, agent, "MSFT", "buy", "150", "400");
                } else if (sell) {
                    held--;
                    r = api.trade(trader, agent, "AAPL", "sell", "1", "160");
                } else {
                    r = api.trade(trader, agent, "AAPL", "buy", "2", "150");
                }
            } catch (UncheckedIOException | AssertionError e) {
                if (!killed.get()) {
                    acked.unexpected.add(agent + ": " + e);
                }
                return;
            }
            if (r.status() == 201) {
                acked.status.put(r.text("id"), r.text("status"));
                acked.executed.incrementAndGet();
                if (!sell) {
                    held += 2;
                }
            } else if (r.status() == 202) {
                JsonNode body = r.json();
                String tradeId = body.path("trade").path("id").asText();
                acked.status.put(tradeId, body.path("trade").path("status").asText());
                acked.waiting.incrementAndGet();
                toDecide.add(new String[] {body.path("oversightRequest").path("id").asText(), tradeId});
            } else if (r.status() == 422 && "insufficient_funds".equals(r.text("code"))) {
                // a correct answer once small buys have spent the cash: nothing was created
                acked.refusedForFunds.incrementAndGet();
            } else if (!killed.get()) {
                acked.unexpected.add(agent + ": " + r.status() + " " + r.body());
            }
        }
    }

    private static void decide(Api api, String approver, Acknowledged acked, BlockingQueue<String[]> toDecide,
                               AtomicBoolean killed) {
        try {
            for (int n = 0; !killed.get(); ) {
                String[] next = toDecide.poll(20, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                boolean approve = n++ % 2 == 0;
                acked.decisionSent.put(next[1], approve ? "executed" : "rejected");
                Response r = api.post("/api/v1/oversight/requests/" + next[0] + (approve ? "/approve" : "/reject"),
                        approver, "{\"comment\":\"decided under load\"}");
                if (r.status() == 200) {
                    acked.status.put(next[1], r.json().path("trade").path("status").asText());
                    acked.decided.incrementAndGet();
                } else if (!killed.get()) {
                    acked.unexpected.add("decision on " + next[0] + ": " + r.status() + " " + r.body());
                }
            }
        } catch (UncheckedIOException | AssertionError e) {
            if (!killed.get()) {
                acked.unexpected.add("approver: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After the restart the outbox completes reservations the killed process had taken at its embedded
     * metering server, which the new one does not know: one "unknown reservation" warning each is
     * expected. No reservation may be completed twice, and nothing else may be logged at WARN or above.
     */
    private static int assertNoRepeatedOrUnexpectedWarnings(List<String> warnings) {
        Pattern unknown = Pattern.compile("metering does not know reservation (\\S+) \\((\\w+)\\)");
        Map<String, Integer> completions = new HashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String w : warnings) {
            Matcher m = unknown.matcher(w);
            if (w.startsWith("WARN ") && m.find()) {
                completions.merge(m.group(1), 1, Integer::sum);
            } else {
                unexpected.add(w);
            }
        }
        assertEquals(List.of(), unexpected, "warnings after the restart");
        completions.forEach((reservation, times) -> assertEquals(1, times, "reservation " + reservation
                + " completed " + times + " times"));
        return completions.size();
    }

    /**
     * Straight from the file: with a metering service, every executed trade completed its quota
     * reservation exactly once, every rejected or cancelled one released it exactly once, all of it
     * delivered, and no reservation was both completed and released (ids are the keys of the outbox
     * rows, unique by index). With the in-process quota there is no such row at all.
     */
    private static void assertEachReservationEndedOnce(Path db, Map<String, JsonNode> trades, boolean quotaInOutbox)
            throws SQLException {
        long executed = !quotaInOutbox ? 0
                : trades.values().stream().filter(t -> t.path("status").asText().equals("executed")).count();
        long closed = !quotaInOutbox ? 0 : trades.values().stream().filter(t -> List.of("rejected", "cancelled")
                .contains(t.path("status").asText())).count();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement st = c.createStatement()) {
            Map<String, long[]> byKind = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT kind, count(*), count(delivered_at), count(DISTINCT "
                    + "json_extract(payload, '$.reservationId')) FROM outbox WHERE kind IN ('quota.complete', "
                    + "'quota.release') GROUP BY kind")) {
                while (rs.next()) {
                    byKind.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
            assertArrayEquals(new long[] {executed, executed, executed}, byKind.getOrDefault("quota.complete",
                    new long[3]), "quota completions: rows, delivered, distinct reservations = executed trades");
            assertArrayEquals(new long[] {closed, closed, closed}, byKind.getOrDefault("quota.release", new long[3]),
                    "quota releases: rows, delivered, distinct reservations = rejected and cancelled trades");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT json_extract(payload, '$.reservationId')"
                    + " FROM outbox WHERE kind IN ('quota.complete', 'quota.release') GROUP BY 1 HAVING count(*) > 1)")) {
                assertEquals(0, rs.getLong(1), "reservations both completed and released");
            }
        }
    }

    /** Every agent's books, checked; returns every trade by id. */
    private static Map<String, JsonNode> auditEveryAgent(Api api, String trader, String approver, List<String> agents,
                                                         BookAudit.Quota quota) {
        Map<String, JsonNode> trades = new HashMap<>();
        List<BookAudit.Books> books = new ArrayList<>();
        for (String agent : agents) {
            books.add(BookAudit.read(api, trader, agent, BUDGET));
        }
        // read after the books: nothing changes between the two reads in this test
        Map<String, JsonNode> pending = BookAudit.pendingRequestsByTrade(api, approver);
        for (BookAudit.Books b : books) {
            // the reservations of the trades awaiting approval were held by the killed process
            BookAudit.assertConsistent(b, pending, quota);
            trades.putAll(b.trades());
        }
        return trades;
    }
}
