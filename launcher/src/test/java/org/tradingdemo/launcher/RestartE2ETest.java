package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;

/**
 * A clean stop and a start on the same SQLite file: the users (with their passwords), agents,
 * trades, portfolios, usage, alerts and the request still awaiting approval are all there, every
 * GET answers the same document, and the pending trade can be approved after the restart.
 */
class RestartE2ETest {

    /** A restart must not accept the passwords of a different configuration: the stored users win. */
    private static final Map<String, String> OTHER_PASSWORDS = Map.of(
            "DEMO_PASSWORD_ADMIN", "other-admin-password",
            "DEMO_PASSWORD_TRADER", "other-trader-password",
            "DEMO_PASSWORD_APPROVER", "other-approver-password",
            "DEMO_PASSWORD_VIEWER", "other-viewer-password");

    @TempDir
    Path dataDir;

    /** What the first run created, to read back after the restart. */
    private record Created(List<String> agents, List<String> trades, List<String> requests, String alpha,
                           String pendingTrade, String pendingRequest) {
    }

    /**
     * The in-process quota and approval adapters (no gRPC): the quota's figures come from the ledger in
     * the same file, so they survive a restart too - all but the reservation of a trade still awaiting
     * approval, which LocalQuota keeps in memory (documented there).
     */
    private static final Map<String, String> LOCAL = Map.of("STORE", "sqlite", "METERING_GRPC_URL", "local",
            "OVERSIGHT_GRPC_URL", "local");
    /** The default wiring: embedded metering and oversight reference servers on loopback, reached over gRPC. */
    private static final Map<String, String> EMBEDDED = Map.of("STORE", "sqlite");

    @Test
    void everyViewSurvivesARestartAndThePendingTradeIsApprovedAfterIt() throws Exception {
        E2e.Laps laps = new E2e.Laps("RestartE2ETest (local) timings");
        Created created;
        Map<String, JsonNode> before;
        String[] tokens;
        try (TradingServer first = TradingServer.start(E2e.config(dataDir, LOCAL))) {
            assertEquals(4, first.firstStartCredentials().size(), "demo users created at the first start");
            Api api = new Api(first.baseUrl());
            String trader = api.login("trader");
            String approver = api.login("approver");
            String admin = api.login("admin");
            tokens = new String[] {trader, approver, admin};
            created = createSomeHistory(api, trader, approver, admin);
            laps.lap("first start, logins, history");
            before = views(api, trader, approver, created);
            laps.lap("views");
        }
        laps.lap("close");
        assertTrue(Files.exists(dataDir.resolve("trading.db")), "the sqlite store wrote DB_PATH");

        // the second start: same DB_PATH, a configuration with OTHER demo passwords, through Main like `serve`
        Map<String, String> env = E2e.env(dataDir, LOCAL);
        env.putAll(OTHER_PASSWORDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<TradingServer> started = new CompletableFuture<>();
        CompletableFuture<Integer> serving;
        try (LogCapture logs = new LogCapture()) {
            serving = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"serve"}, env,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    started::complete));
            CompletableFuture.anyOf(started, serving).get(60, TimeUnit.SECONDS);
            assertTrue(started.isDone(), () -> "serve ended without starting: " + err.toString(StandardCharsets.UTF_8));
            TradingServer second = started.join();
            laps.lap("second start");
            try {
                String banner = out.toString(StandardCharsets.UTF_8);
                assertTrue(banner.contains("Trading Demo is listening on " + second.baseUrl()), banner);
                assertFalse(banner.contains("Demo users created"), "no new demo users at a restart:\n" + banner);
                assertTrue(second.firstStartCredentials().isEmpty());

                Api api = new Api(second.baseUrl());
                // the stored users and passwords, not the configured ones
                api.post("/api/v1/auth/login", null, "{\"username\":\"trader\",\"password\":\""
                        + OTHER_PASSWORDS.get("DEMO_PASSWORD_TRADER") + "\"}").expectProblem(401, "invalid_credentials");
                String trader = api.login("trader");
                String approver = api.login("approver");
                // same key: tokens issued before the restart still verify (and save a password hash each)
                api.get("/api/v1/agents", tokens[0]).expect(200);

                Map<String, JsonNode> after = views(api, trader, approver, created);
                assertSameViews(before, after, created, false);
                laps.lap("logins and views");

                approveThePendingTradeAfterTheRestart(api, trader, approver, created, BookAudit.Quota.EXECUTED_ONLY);
                laps.lap("approval");

                // trades after the restart are delivered and acknowledged like any other
                for (int i = 0; i < 3; i++) {
                    api.trade(trader, created.alpha(), "AAPL", "buy", "1", "150").expect(201);
                }
                awaitBacklogZero(second, Duration.ofSeconds(15));
                laps.lap("trades and outbox");
                assertEquals(List.of(), logs.warnings(), "nothing worth a warning after a clean restart");
            } finally {
                second.close();
            }
            assertEquals(0, serving.get(30, TimeUnit.SECONDS), "serve returns 0 once stopped");
            assertEquals("", err.toString(StandardCharsets.UTF_8));
            laps.lap("close");
        }
        laps.print();
    }

    /**
     * The same with the default wiring (embedded gRPC reference servers): everything the database
     * holds reads back the same and the pending trade is approved after the restart. The quota's own
     * figures ({@code used}, {@code remaining}) are NOT compared: the embedded metering server keeps
     * its book in memory - see {@link #quotaUsageSurvivesARestartWithTheEmbeddedMeteringServer}.
     */
    @Test
    void withTheEmbeddedReferenceServicesTheStoreSurvivesARestartToo() throws Exception {
        E2e.Laps laps = new E2e.Laps("RestartE2ETest (embedded) timings");
        Created created;
        Map<String, JsonNode> before;
        String[] tokens;
        try (TradingServer first = TradingServer.start(E2e.config(dataDir, EMBEDDED))) {
            Api api = new Api(first.baseUrl());
            tokens = new String[] {api.login("trader"), api.login("approver"), api.login("admin")};
            created = createSomeHistory(api, tokens[0], tokens[1], tokens[2]);
            laps.lap("first start, logins, history");
            before = views(api, tokens[0], tokens[1], created);
            laps.lap("views");
        }
        laps.lap("close");
        try (LogCapture logs = new LogCapture();
             TradingServer second = TradingServer.start(E2e.config(dataDir, EMBEDDED))) {
            laps.lap("second start");
            assertTrue(second.firstStartCredentials().isEmpty());
            Api api = new Api(second.baseUrl());
            Map<String, JsonNode> after = views(api, tokens[0], tokens[1], created);
            assertSameViews(before, after, created, true);
            laps.lap("views");
            approveThePendingTradeAfterTheRestart(api, tokens[0], tokens[1], created, BookAudit.Quota.EXECUTED_ONLY);
            laps.lap("approval");
            awaitBacklogZero(second, Duration.ofSeconds(15));
            laps.lap("outbox");
            // completing the approved trade's reservation, taken by the previous metering server, is
            // answered "unknown reservation" (logged once, then delivered); anything else is a finding
            List<String> other = logs.warnings().stream()
                    .filter(w -> !w.contains("metering does not know reservation")).toList();
            assertEquals(List.of(), other, "warnings after a clean restart");
        }
        laps.lap("close");
        laps.print();
    }

    /**
     * KNOWN DEFECT (reported, not fixed here): with the default wiring the embedded metering reference
     * server keeps every agent's usage in memory, so a restart resets each agent's quota usage to 0:
     * the usage report's {@code used} drops and the agent may trade its whole daily volume again.
     * The ledger in the database has the figures; the metering server does not read it.
     */
    @Test
    void quotaUsageSurvivesARestartWithTheEmbeddedMeteringServer() {
        String agent;
        String token;
        try (TradingServer first = TradingServer.start(E2e.config(dataDir, EMBEDDED))) {
            Api api = new Api(first.baseUrl());
            token = api.login("trader");
            agent = api.createAgent(token, "Metered", "10000", "balanced", "medium");
            api.trade(token, agent, "AAPL", "buy", "10", "150").expect(201);
            assertExactly("1500", api.get("/api/v1/agents/" + agent + "/usage", token).expect(200).json().path("used"));
        }
        try (TradingServer second = TradingServer.start(E2e.config(dataDir, EMBEDDED))) {
            assertExactly("1500", new Api(second.baseUrl()).get("/api/v1/agents/" + agent + "/usage", token).expect(200)
                    .json().path("used"));
        }
    }

    @Test
    void theMemoryStoreStillWorks() {
        try (TradingServer server = TradingServer.start(E2e.config(dataDir, Map.of("STORE", "memory")))) {
            assertEquals(4, server.firstStartCredentials().size());
            Api api = new Api(server.baseUrl());
            String trader = api.login("trader");
            String agent = api.createAgent(trader, "Ephemeral", "100000", "balanced", "medium");
            api.trade(trader, agent, "AAPL", "buy", "10", "150").expect(201);
            String requestId = api.trade(trader, agent, "MSFT", "buy", "150", "400").expect(202).json()
                    .path("oversightRequest").path("id").asText();
            api.post("/api/v1/oversight/requests/" + requestId + "/approve", api.login("approver"), null).expect(200);
            assertExactly("38500", api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json()
                    .path("cash"));
            assertEquals("executed", api.get("/api/v1/agents/" + agent + "/trades", trader).expect(200).json()
                    .path("items").get(0).path("status").asText());
        }
        assertFalse(Files.exists(dataDir.resolve("trading.db")), "STORE=memory writes no database file");
    }

    // ------------------------------------------------------------------ the first run

    private static Created createSomeHistory(Api api, String trader, String approver, String admin) {
        List<String> agents = new ArrayList<>();
        List<String> trades = new ArrayList<>();
        List<String> requests = new ArrayList<>();

        // the first trade of the process waits for approval: it holds the process's first quota reservation
        String alpha = api.createAgent(trader, "Alpha", "100000", "balanced", "medium");
        agents.add(alpha);
        JsonNode pending = api.trade(trader, alpha, "MSFT", "buy", "150", "400").expect(202).json();
        String pendingTrade = pending.path("trade").path("id").asText();
        String pendingRequest = pending.path("oversightRequest").path("id").asText();
        trades.add(pendingTrade);
        requests.add(pendingRequest);
        trades.add(api.trade(trader, alpha, "AAPL", "buy", "10", "150").expect(201).text("id"));
        trades.add(api.trade(trader, alpha, "AAPL", "buy", "5", "150").expect(201).text("id"));
        trades.add(api.trade(trader, alpha, "AAPL", "sell", "3", "160").expect(201).text("id"));
        trades.add(api.post("/api/v1/agents/" + alpha + "/trades", trader, "{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
                + "\"quantity\":0.025,\"price\":64000,\"type\":\"limit\",\"clientOrderId\":\"restart-1\"}")
                .expect(201).text("id"));

        String bravo = api.createAgent(trader, "Bravo", "250000", "conservative", "low");
        agents.add(bravo);
        trades.add(api.trade(trader, bravo, "NVDA", "buy", "20", "120.25").expect(201).text("id"));
        JsonNode rejected = api.trade(trader, bravo, "MSFT", "buy", "150", "400").expect(202).json();
        trades.add(rejected.path("trade").path("id").asText());
        requests.add(rejected.path("oversightRequest").path("id").asText());
        api.post("/api/v1/oversight/requests/" + rejected.path("oversightRequest").path("id").asText() + "/reject",
                approver, "{\"comment\":\"too concentrated\"}").expect(200);
        JsonNode cancelled = api.trade(trader, bravo, "MSFT", "buy", "140", "400").expect(202).json();
        trades.add(cancelled.path("trade").path("id").asText());
        requests.add(cancelled.path("oversightRequest").path("id").asText());
        api.post("/api/v1/trades/" + cancelled.path("trade").path("id").asText() + "/cancel", trader,
                "{\"reason\":\"changed my mind\"}").expect(200);
        String suspended = api.createAgent(trader, "Charlie", "5000", "aggressive", "high");
        agents.add(suspended);
        api.post("/api/v1/agents/" + suspended + "/suspend", trader, null).expect(200);

        // an admin's agent near its quota: the 80 % warning is an alert
        String echo = api.createAgent(admin, "Echo", "1000", "aggressive", "high");
        agents.add(echo);
        trades.add(api.trade(admin, echo, "AAPL", "buy", "5", "150").expect(201).text("id"));
        trades.add(api.trade(admin, echo, "AAPL", "buy", "1", "100").expect(201).text("id"));
        api.post("/api/v1/alerts", trader, "{\"severity\":\"warning\",\"type\":\"manual\",\"message\":\"watch Alpha\","
                + "\"agentId\":\"" + alpha + "\"}").expect(201);
        return new Created(agents, trades, requests, alpha, pendingTrade, pendingRequest);
    }

    /** Every GET of the API over what was created, by path and caller. */
    private static Map<String, JsonNode> views(Api api, String trader, String approver, Created c) {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("trader", trader);
        callers.put("approver", approver);
        List<String> paths = new ArrayList<>(List.of("/api/v1/agents", "/api/v1/agents?status=active",
                "/api/v1/metering/usage", "/api/v1/metering/usage?period=monthly", "/api/v1/metering/costs",
                "/api/v1/alerts", "/api/v1/oversight/requests", "/api/v1/oversight/requests?status=pending"));
        for (String agent : c.agents()) {
            String a = "/api/v1/agents/" + agent;
            paths.addAll(List.of(a, a + "/trades", a + "/trades?status=executed", a + "/trades?limit=2",
                    a + "/portfolio", a + "/usage", a + "/usage?period=monthly"));
        }
        c.trades().forEach(t -> paths.add("/api/v1/trades/" + t));
        c.requests().forEach(r -> paths.add("/api/v1/oversight/requests/" + r));

        Map<String, JsonNode> views = new LinkedHashMap<>();
        callers.forEach((who, token) -> {
            for (String path : paths) {
                E2e.Response r = api.get(path, token);
                ObjectNode view = E2e.JSON.createObjectNode();
                view.put("status", r.status());
                view.set("body", r.status() == 200 ? r.json() : E2e.JSON.getNodeFactory().textNode(r.json()
                        .path("code").asText()));
                views.put(who + " GET " + path, view);
            }
        });
        return views;
    }

    /**
     * @param quotaForgotten the quota's figures ({@code used}, {@code remaining}) are not compared in any
     *                       usage view (embedded metering after a restart); otherwise only Alpha's differ,
     *                       by exactly the reservation of its trade awaiting approval (LocalQuota)
     */
    private static void assertSameViews(Map<String, JsonNode> before, Map<String, JsonNode> after, Created c,
                                        boolean quotaForgotten) {
        assertEquals(before.keySet(), after.keySet());
        List<String> differences = new ArrayList<>();
        for (String view : before.keySet()) {
            JsonNode was = before.get(view);
            JsonNode is = after.get(view);
            boolean usage = view.contains("/usage") && !view.contains("/metering/");
            if (usage && was.path("status").asInt() == 200 && is.path("status").asInt() == 200) {
                if (!quotaForgotten && view.contains("/agents/" + c.alpha() + "/usage")) {
                    // LocalQuota keeps its reservations in memory (documented): the volume of the trade
                    // still awaiting approval ($60,000) is no longer counted in `used` after the restart.
                    // Everything else in the report - the ledger's figures - is the same.
                    JsonNode w = was.path("body");
                    JsonNode n = is.path("body");
                    assertEquals(0, E2e.decimal(w.path("used")).subtract(new BigDecimal("60000"))
                            .compareTo(E2e.decimal(n.path("used"))), view + ": before " + w + "\nafter " + n);
                }
                if (quotaForgotten || view.contains("/agents/" + c.alpha() + "/usage")) {
                    was = withoutQuotaFigures(was);
                    is = withoutQuotaFigures(is);
                }
            }
            if (!was.equals(is)) {
                differences.add(view + "\n  before: " + was + "\n  after:  " + is);
            }
        }
        assertEquals(List.of(), differences, "views that changed across the restart");
        // and the history is really there, not two empty answers
        JsonNode trades = before.get("trader GET /api/v1/agents/" + c.alpha() + "/trades").path("body").path("items");
        assertEquals(5, trades.size(), trades.toString());
    }

    private static JsonNode withoutQuotaFigures(JsonNode view) {
        ObjectNode copy = view.deepCopy();
        ((ObjectNode) copy.path("body")).remove(List.of("used", "remaining"));
        return copy;
    }

    // ------------------------------------------------------------------ the second run

    private static void approveThePendingTradeAfterTheRestart(Api api, String trader, String approver, Created c,
                                                              BookAudit.Quota quota) {
        // a trade awaiting approval taken after the restart: it holds a quota reservation of the new process
        String delta = api.createAgent(trader, "Delta", "100000", "balanced", "medium");
        api.trade(trader, delta, "MSFT", "buy", "150", "400").expect(202);
        assertExactly("60000", api.get("/api/v1/agents/" + delta + "/usage", trader).expect(200).json().path("used"));

        JsonNode decided = api.post("/api/v1/oversight/requests/" + c.pendingRequest() + "/approve", approver,
                "{\"comment\":\"approved after a restart\"}").expect(200).json();
        assertEquals("approved", decided.path("request").path("status").asText());
        assertEquals("executed", decided.path("trade").path("status").asText());
        assertEquals("executed", api.get("/api/v1/trades/" + c.pendingTrade(), trader).expect(200).text("status"));
        JsonNode portfolio = api.get("/api/v1/agents/" + c.alpha() + "/portfolio", trader).expect(200).json();
        // 100000 - 1500 - 750 + 480 - 1600 (BTC) - 60000
        assertExactly("36630", portfolio.path("cash"));
        assertExactly("0", portfolio.path("reservedCash"));
        Map<String, String> positions = new HashMap<>();
        portfolio.path("positions").forEach(p -> positions.put(p.path("symbol").asText(),
                E2e.decimal(p.path("quantity")).stripTrailingZeros().toPlainString()));
        assertEquals(Map.of("MSFT", "150", "AAPL", "12", "BTC/USD", "0.025"), positions);

        // completing the approved trade's reservation (taken before the restart) must not touch any
        // reservation of this process: Delta's $60,000 is still held
        assertExactly("60000", api.get("/api/v1/agents/" + delta + "/usage", trader).expect(200).json().path("used"));
        BookAudit.assertConsistent(BookAudit.read(api, trader, c.alpha(), new BigDecimal("100000")),
                BookAudit.pendingRequestsByTrade(api, approver), quota);
    }

    private static void awaitBacklogZero(TradingServer server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.demo().outboxRelay().backlog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.demo().outboxRelay().backlog(), "outbox backlog");
    }
}
