package org.tradingdemo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole generator against a stub of the API (login, agents, trades, health) that keeps each
 * agent's position and refuses a sell that would take it below zero: proves the setup, the
 * buy/sell alternation under concurrency, the status counting and the report, without the service.
 */
class HttpLoadGeneratorStubTest {

    private HttpServer server;
    private ExecutorService pool;
    private final AtomicInteger agents = new AtomicInteger();
    private final Map<String, AtomicLong> positions = new ConcurrentHashMap<>();
    private final AtomicLong refusedSells = new AtomicLong();
    private final AtomicLong trades = new AtomicLong();
    private volatile boolean failTrades;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/health", ex -> send(ex, 200, "{\"status\":\"ok\"}"));
        server.createContext("/api/v1/auth/login", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"password\":\"pw\"")) {
                send(ex, 200, "{\"token\":\"tok\",\"tokenType\":\"Bearer\"}");
            } else {
                send(ex, 401, "{\"code\":\"invalid_credentials\"}");
            }
        });
        server.createContext("/api/v1/agents", ex -> {
            ex.getRequestBody().readAllBytes();
            if (!"Bearer tok".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"code\":\"unauthorized\"}");
                return;
            }
            String id = "agent-" + agents.incrementAndGet();
            positions.put(id, new AtomicLong());
            send(ex, 201, "{\"id\":\"" + id + "\",\"name\":\"x\",\"config\":{\"budget\":1000000}}");
        });
        // the longer prefix wins: trades go here
        server.createContext("/api/v1/agents/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = ex.getRequestURI().getPath().split("/")[4];
            if (failTrades) {
                send(ex, 503, "{\"code\":\"metering_unavailable\"}");
                return;
            }
            AtomicLong pos = positions.get(id);
            long q = body.contains("\"quantity\":10") ? 10 : 1;
            if (body.contains("\"side\":\"sell\"")) {
                long after = pos.addAndGet(-q);
                if (after < 0) {
                    pos.addAndGet(q);
                    refusedSells.incrementAndGet();
                    send(ex, 422, "{\"code\":\"insufficient_position\"}");
                    return;
                }
            } else {
                pos.addAndGet(q);
            }
            trades.incrementAndGet();
            send(ex, 201, "{\"id\":\"t\",\"agentId\":\"" + id + "\",\"status\":\"executed\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    private int run(Path out, ByteArrayOutputStream stdout, String... extra) {
        String[] base = {"--url", "http://127.0.0.1:" + server.getAddress().getPort(), "--password", "pw",
                "--clients", "8", "--agents", "3", "--warmup", "300ms", "--duration", "700ms", "--out",
                out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return HttpLoadGenerator.run(args, Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @Test
    void measuresHealthAndTradesWithoutEverSellingAnEmptyPosition(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("r.json");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = run(out, stdout);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertEquals(0, refusedSells.get(), "alternation + seed buys keep every position covered");
        assertEquals(3, agents.get());
        assertTrue(text.contains("| GET /health (ceiling) |"), text);
        assertTrue(text.contains("| POST trade (autonomous) |"), text);
        assertTrue(text.contains("trades/s ÷ ceiling"), text);
        assertTrue(text.contains("Errors: none"), text);
        String json = Files.readString(out);
        assertTrue(json.contains("\"tradesPerSecondOverCeiling\": "), json);
        assertTrue(json.contains("\"201\": "), json);
        assertTrue(trades.get() > 0);
    }

    @Test
    void failedRequestsAreCountedAndReported(@TempDir Path dir) throws IOException {
        failTrades = false;
        Path out = dir.resolve("r.json");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        // seeding must succeed, so switch the failures on once the trades scenario is under way
        Thread t = new Thread(() -> {
            while (agents.get() < 3 || trades.get() < 3 * 8) {
                Thread.onSpinWait();
            }
            failTrades = true;
        });
        t.setDaemon(true);
        t.start();
        int code = run(out, stdout, "--scenarios", "trades", "--seed-buys", "8");
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.contains("failed requests"), text);
        assertTrue(text.contains("503"), text);
        assertTrue(text.contains("metering_unavailable"), text);
        assertTrue(Files.readString(out).contains("\"503\": "));
    }

    @Test
    void refusesANonLoopbackTarget() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = HttpLoadGenerator.run(new String[] {"--url", "http://192.0.2.1:80", "--password", "x"}, Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stdout, true,
                        StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("loopback"));
    }
}
