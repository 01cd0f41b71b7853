package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.launcher.E2e.Api;

/** Starting and stopping the wired service: first start, key reuse, a taken port, graceful close. */
class TradingServerLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartCreatesTheDemoUsersAndAKeyThatTheNextStartReuses() throws IOException {
        // no passwords and no key configured: both generated
        Map<String, String> env = Map.of("PORT", "0", "DB_PATH", dataDir.resolve("trading.db").toString());
        String token;
        try (TradingServer first = TradingServer.start(ServiceConfig.parse(env, List.of()))) {
            List<DemoUsers.Credential> users = first.firstStartCredentials();
            assertEquals(List.of("admin", "trader", "approver", "viewer"),
                    users.stream().map(DemoUsers.Credential::username).toList());
            assertTrue(users.stream().allMatch(c -> c.generated() && c.password().reveal().length() >= 16));
            assertFalse(users.toString().contains(users.get(0).password().reveal()), "toString hides passwords");

            Api api = new Api(first.baseUrl());
            token = api.login("viewer", users.get(3).password().reveal());
            assertTrue(Files.exists(dataDir.resolve(JwtSecretFile.FILE_NAME)));
            assertTrue(Files.readString(dataDir.resolve(DemoUsers.IDS_FILE)).contains("trader="));
        }
        try (TradingServer second = TradingServer.start(ServiceConfig.parse(env, List.of()))) {
            // a token signed before the restart still verifies: the key was kept
            new Api(second.baseUrl()).get("/api/v1/alerts", token).expect(200);
        }
    }

    @Test
    void aTakenPortIsOneClearErrorAndLeavesNothingRunning() {
        try (TradingServer first = TradingServer.start(E2e.config(dataDir, Map.of()))) {
            // another data folder, so only the port is shared (a second store on the same file is refused earlier)
            ServiceConfig same = E2e.config(dataDir.resolve("second"), Map.of("PORT", String.valueOf(first.port())));
            ConfigException e = assertThrows(ConfigException.class, () -> TradingServer.start(same));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port() + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            new Api(first.baseUrl()).get("/health", null).expect(200);
        }
    }

    @Test
    void closeLetsAnInFlightRequestFinishThenStopsEverythingOnce() throws Exception {
        TradingServer server = TradingServer.start(E2e.config(dataDir, Map.of("SHUTDOWN_TIMEOUT", "PT10S")));
        int port = server.port();
        byte[] body = ("{\"username\":\"trader\",\"password\":\"" + E2e.PASSWORDS.get("trader") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Jetty answers 100 Continue only when the handler starts reading the body: from here the
            // request is in flight, and stays so until the body arrives
            String interim = readHead(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            awaitRefused(port, Duration.ofSeconds(10));
            assertFalse(closing.isDone(), "close waits for the in-flight request");

            out.write(body);
            out.flush();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"token\""), response);
            closing.get(15, TimeUnit.SECONDS);
        }
        server.close(); // idempotent: returns at once
    }

    @Test
    void closeIsIdempotentAndFreesThePort() throws Exception {
        TradingServer server = TradingServer.start(E2e.config(dataDir, Map.of()));
        int port = server.port();
        server.close();
        server.close();
        awaitRefused(port, Duration.ofSeconds(5));
    }

    private static void awaitRefused(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                // keep trying
            }
            Thread.sleep(20);
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    /** Reads one response head, up to and including the empty line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
