package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * {@code backup --to FILE} while the server runs and writes: the copy is a database of its own - a
 * second server starts on it and shows the same agents and trades, and books that add up - and a
 * backup never overwrites an existing file.
 */
class BackupE2ETest {

    private static final Map<String, String> SETTINGS = Map.of("STORE", "sqlite", "METERING_GRPC_URL", "local",
            "OVERSIGHT_GRPC_URL", "local");
    private static final BigDecimal BUDGET = new BigDecimal("100000");

    @TempDir
    Path live;
    @TempDir
    Path restored;

    @Test
    void anOnlineBackupOpensAsADatabaseWithTheSameAgentsAndTrades() throws Exception {
        E2e.Laps laps = new E2e.Laps("BackupE2ETest timings");
        Path copy = restored.resolve("trading.db");
        Map<String, String> env = E2e.env(live, SETTINGS);
        Map<String, JsonNode> before = new LinkedHashMap<>();
        List<String> quiet = new ArrayList<>();
        String busy;
        List<String> acknowledgedBeforeBackup;
        String trader;
        String approver;
        try (TradingServer server = TradingServer.start(E2e.config(live, SETTINGS))) {
            Api api = new Api(server.baseUrl());
            trader = api.login("trader");
            approver = api.login("approver");
            laps.lap("start and logins");

            // agents nobody touches during the backup: their views must be the same in the copy
            for (int i = 0; i < 3; i++) {
                String agent = api.createAgent(trader, "Quiet-" + i, BUDGET.toPlainString(), "balanced", "medium");
                quiet.add(agent);
                api.trade(trader, agent, "AAPL", "buy", String.valueOf(10 + i), "150").expect(201);
                api.trade(trader, agent, "AAPL", "sell", "2", "160").expect(201);
            }
            api.trade(trader, quiet.get(0), "MSFT", "buy", "150", "400").expect(202);
            for (String agent : quiet) {
                for (String path : List.of("", "/trades", "/portfolio")) {
                    before.put(agent + path, api.get("/api/v1/agents/" + agent + path, trader).expect(200).json());
                }
            }

            // one agent keeps trading while the backup is taken
            busy = api.createAgent(trader, "Busy", BUDGET.toPlainString(), "balanced", "medium");
            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                String t = trader;
                writer.execute(() -> {
                    try {
                        while (!stop.get()) {
                            Response r = api.trade(t, busy, "AAPL", "buy", "1", "150");
                            if (r.status() == 201) {
                                acknowledged.add(r.text("id"));
                            }
                        }
                    } catch (UncheckedIOException | AssertionError e) {
                        acknowledged.add("failed: " + e);
                    }
                });
                while (acknowledged.size() < 5) {
                    Thread.sleep(10);
                }
                acknowledgedBeforeBackup = List.copyOf(acknowledged);
                laps.lap("history");

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(new String[] {"backup", "--to", copy.toString()}, env,
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                        s -> { });
                assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
                assertEquals("backed up " + live.resolve("trading.db") + " to " + copy,
                        out.toString(StandardCharsets.UTF_8).strip());
                laps.lap("backup");
            } finally {
                stop.set(true);
                writer.shutdown();
                assertTrue(writer.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertTrue(acknowledged.stream().noneMatch(a -> a.startsWith("failed")), acknowledged.toString());
            assertTrue(Files.exists(copy));

            // a backup never replaces a file: one line, exit 2, the file untouched
            byte[] existing = Files.readAllBytes(copy);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"backup", "--to", copy.toString()}, env,
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                    s -> { });
            assertEquals(Main.USAGE_ERROR, code);
            assertEquals("error: backup target " + copy + " already exists; choose a new file" + System.lineSeparator(),
                    err.toString(StandardCharsets.UTF_8));
            assertArrayEquals(existing, Files.readAllBytes(copy));
        }
        laps.lap("refusal and close");

        // the copy is a database: a server starts on it, with the users and everything else in it
        try (TradingServer second = TradingServer.start(E2e.config(restored, SETTINGS))) {
            assertTrue(second.firstStartCredentials().isEmpty(), "the users came with the copy");
            Api api = new Api(second.baseUrl());
            String login = api.login("trader");
            for (Map.Entry<String, JsonNode> view : before.entrySet()) {
                assertEquals(view.getValue(), api.get("/api/v1/agents/" + view.getKey(), login).expect(200).json(),
                        view.getKey());
            }
            Map<String, JsonNode> pending = BookAudit.pendingRequestsByTrade(api, approver);
            assertEquals(1, pending.size(), "the trade awaiting approval, with its request");
            BookAudit.Books busyBooks = BookAudit.read(api, login, busy, BUDGET);
            assertTrue(busyBooks.trades().keySet().containsAll(acknowledgedBeforeBackup),
                    "every trade acknowledged before the backup started is in it");
            for (String agent : quiet) {
                BookAudit.assertConsistent(BookAudit.read(api, login, agent, BUDGET), pending,
                        BookAudit.Quota.EXECUTED_ONLY);
            }
            // a consistent moment: the busy agent's books add up at whatever trade the copy was taken
            BookAudit.assertConsistent(busyBooks, pending, BookAudit.Quota.EXECUTED_ONLY);
            System.out.printf("BackupE2ETest: the copy holds %d of the busy agent's trades (%d acknowledged before the "
                    + "backup started)%n", busyBooks.trades().size(), acknowledgedBeforeBackup.size());
        }
        laps.lap("second server on the copy");
        laps.print();
    }
}
