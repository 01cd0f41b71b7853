package org.tradingdemo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response parser against a real HTTP server (the JDK's): Content-Length and chunked bodies on
 * one kept-alive connection, bodies skipped or captured, no-body statuses, Connection: close; and
 * against a scripted socket for what that server never sends (chunk extensions, trailers, a body
 * framed by the end of the connection, a response trickling in a few bytes at a time).
 */
class KeepAliveHttpClientTest {

    private static final String BIG = "x".repeat(100_000); // larger than the client's buffer
    private HttpServer server;
    private InetSocketAddress address;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", ex -> {
            byte[] body = ("fixed:" + ex.getRequestMethod()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // 0 = unknown length: chunked
            try (OutputStream os = ex.getResponseBody()) {
                os.write("part1,".getBytes(StandardCharsets.UTF_8));
                os.flush();
                os.write("part2".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/big-chunked", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(BIG.getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/big-fixed", ex -> {
            byte[] body = BIG.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/empty", ex -> {
            ex.sendResponseHeaders(204, -1); // -1 = no body
            ex.close();
        });
        server.createContext("/error", ex -> {
            byte[] body = "{\"code\":\"quota_exceeded\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(429, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/close", ex -> {
            byte[] body = "bye".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        address = server.getAddress();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private byte[] get(String path) {
        return KeepAliveHttpClient.request("GET", "localhost", path, null, null);
    }

    @Test
    void contentLengthAndChunkedBodiesAlternateOnOneConnection() throws IOException {
        try (KeepAliveHttpClient c = new KeepAliveHttpClient(address, 5_000)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, c.exchange(get("/fixed"), true));
                assertFalse(c.lastWasChunked());
                assertEquals("fixed:GET", c.bodyAsString());

                assertEquals(200, c.exchange(get("/chunked"), true));
                assertTrue(c.lastWasChunked());
                assertEquals("part1,part2", c.bodyAsString());
            }
            assertEquals(1, c.connects(), "every response framed exactly, so the connection was kept");
        }
    }

    @Test
    void bodiesLargerThanTheBufferAreSkippedOrCapturedUpToTheCap() throws IOException {
        try (KeepAliveHttpClient c = new KeepAliveHttpClient(address, 5_000)) {
            assertEquals(200, c.exchange(get("/big-chunked"), true));
            assertEquals(KeepAliveHttpClient.MAX_CAPTURED_BODY, c.bodyAsString().length(),
                    "captured up to the cap, the rest consumed");
            assertEquals(200, c.exchange(get("/big-fixed"), false));
            assertEquals("", c.bodyAsString(), "a 2xx body is skipped unless asked for");
            assertEquals(200, c.exchange(get("/big-chunked"), false));
            assertEquals(200, c.exchange(get("/fixed"), true));
            assertEquals("fixed:GET", c.bodyAsString());
            assertEquals(1, c.connects());
        }
    }

    @Test
    void postWithBodyNoContentAndErrorsKeepTheConnection() throws IOException {
        try (KeepAliveHttpClient c = new KeepAliveHttpClient(address, 5_000)) {
            byte[] post = KeepAliveHttpClient.request("POST", "localhost", "/fixed", "application/json", "{\"a\":1}",
                    "Authorization: Bearer t");
            assertEquals(200, c.exchange(post, true));
            assertEquals("fixed:POST", c.bodyAsString());
            assertEquals(204, c.exchange(get("/empty"), true));
            assertEquals("", c.bodyAsString());
            assertEquals(429, c.exchange(get("/error"), false));
            assertEquals("{\"code\":\"quota_exceeded\"}", c.bodyAsString(), "a non-2xx body is always captured");
            assertEquals(200, c.exchange(get("/fixed"), false));
            assertEquals(1, c.connects());
        }
    }

    @Test
    void connectionCloseReconnectsForTheNextRequest() throws IOException {
        try (KeepAliveHttpClient c = new KeepAliveHttpClient(address, 5_000)) {
            assertEquals(200, c.exchange(get("/close"), true));
            assertEquals("bye", c.bodyAsString());
            assertEquals(200, c.exchange(get("/fixed"), true));
            assertEquals(2, c.connects());
        }
    }

    // ---- a scripted server for framing the JDK server never produces

    /** Answers every request on a connection with the next scripted response, writing a few bytes at a time. */
    private static ServerSocket scripted(List<String> responses, boolean closeAfterLast) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = ss.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String r : responses) {
                    readRequestHead(in);
                    byte[] bytes = r.getBytes(StandardCharsets.ISO_8859_1);
                    for (int i = 0; i < bytes.length; i += 3) { // trickle: every parser boundary gets split
                        out.write(bytes, i, Math.min(3, bytes.length - i));
                        out.flush();
                    }
                }
                if (!closeAfterLast) {
                    readRequestHead(in);
                }
            } catch (IOException ignored) {
                // the test ended
            }
        }, "scripted-server");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int state = 0; // count of "\r\n\r\n" matched
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof");
            }
            state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void chunkExtensionsTrailersAndUpperCaseHexAreParsed() throws IOException {
        List<String> script = List.of(
                "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n"
                        + "A;name=value\r\n0123456789\r\n1\r\n!\r\n0\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n",
                "HTTP/1.1 201 Created\r\nCONTENT-LENGTH: 5\r\n\r\nhello",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        try (ServerSocket ss = scripted(script, false);
             KeepAliveHttpClient c = new KeepAliveHttpClient((InetSocketAddress) ss.getLocalSocketAddress(), 5_000)) {
            assertEquals(200, c.exchange(get("/a"), true));
            assertTrue(c.lastWasChunked());
            assertEquals("0123456789!", c.bodyAsString());
            assertEquals(201, c.exchange(get("/b"), true));
            assertEquals("hello", c.bodyAsString());
            assertEquals(200, c.exchange(get("/c"), true), "an interim 100 is skipped");
            assertEquals("ok", c.bodyAsString());
            assertEquals(1, c.connects());
        }
    }

    @Test
    void aBodyWithoutFramingRunsToTheEndOfTheConnection() throws IOException {
        List<String> script = List.of("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        try (ServerSocket ss = scripted(script, true);
             KeepAliveHttpClient c = new KeepAliveHttpClient((InetSocketAddress) ss.getLocalSocketAddress(), 5_000)) {
            assertEquals(200, c.exchange(get("/a"), true));
            assertEquals("until the end", c.bodyAsString());
        }
    }

    @Test
    void aTruncatedBodyIsAnErrorNotAHang() throws IOException {
        List<String> script = List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        try (ServerSocket ss = scripted(script, true);
             KeepAliveHttpClient c = new KeepAliveHttpClient((InetSocketAddress) ss.getLocalSocketAddress(), 5_000)) {
            assertThrows(IOException.class, () -> c.exchange(get("/a"), false));
        }
    }

    @Test
    void garbageIsRejected() throws IOException {
        List<String> script = List.of("SSH-2.0-OpenSSH\r\n\r\n");
        try (ServerSocket ss = scripted(script, true);
             KeepAliveHttpClient c = new KeepAliveHttpClient((InetSocketAddress) ss.getLocalSocketAddress(), 5_000)) {
            assertThrows(IOException.class, () -> c.exchange(get("/a"), false));
        }
    }
}
