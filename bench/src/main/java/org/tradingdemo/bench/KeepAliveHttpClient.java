package org.tradingdemo.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over one blocking socket with keep-alive, built to cost the load
 * generator as little as possible: requests are pre-built byte arrays written in one call; a response
 * is parsed from one reusable buffer, reading only the status line and the three headers that frame
 * the body ({@code Content-Length}, {@code Transfer-Encoding: chunked}, {@code Connection: close}); the
 * body is skipped unless the caller asks for it (or the status is not 2xx, so an error can be shown).
 *
 * <p>Not thread-safe: one instance per client thread. After an {@link IOException} the connection is
 * closed and the next {@link #exchange} opens a new one.
 */
public final class KeepAliveHttpClient implements Closeable {

    /** Upper bound of a captured body; the rest is skipped. */
    static final int MAX_CAPTURED_BODY = 64 * 1024;
    private static final int BUFFER_SIZE = 16 * 1024;

    private final InetSocketAddress address;
    private final int timeoutMillis;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;

    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connects;

    // the last response
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean closeAfter;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private boolean captured;

    public KeepAliveHttpClient(InetSocketAddress address, int timeoutMillis) {
        this.address = address;
        this.timeoutMillis = timeoutMillis;
    }

    /** Opens the connection now (so connecting is not timed as part of the first request). */
    public void connect() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(address, timeoutMillis);
            in = s.getInputStream();
            out = s.getOutputStream();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        pos = 0;
        limit = 0;
        connects++;
    }

    /** Connections opened so far (1 for a connection that was kept alive throughout). */
    public long connects() {
        return connects;
    }

    /**
     * Sends one request and reads its response. The body is kept (see {@link #bodyAsString()}) when
     * {@code captureBody} is true or the status is not 2xx.
     *
     * @param request    a complete HTTP/1.1 request: request line, headers, blank line, body
     * @param headRequest true for HEAD (the response has headers only)
     * @return the status code
     */
    public int exchange(byte[] request, boolean captureBody, boolean headRequest) throws IOException {
        connect();
        try {
            out.write(request);
            out.flush();
            do {
                readHead();
            } while (status >= 100 && status < 200 && status != 101); // interim responses (100 Continue)
            captured = captureBody || status < 200 || status >= 300;
            body.reset();
            readBody(headRequest);
            if (closeAfter) {
                close();
            }
            return status;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public int exchange(byte[] request, boolean captureBody) throws IOException {
        return exchange(request, captureBody, false);
    }

    /** The captured body of the last response (empty when it was skipped). */
    public String bodyAsString() {
        return captured ? body.toString(StandardCharsets.UTF_8) : "";
    }

    public int status() {
        return status;
    }

    /** True when the last response was chunked (for tests). */
    boolean lastWasChunked() {
        return chunked;
    }

    /** Breaks off the connection from another thread (a blocked read fails); the owner then closes. */
    public void abort() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        pos = 0;
        limit = 0;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ---- response head

    private void readHead() throws IOException {
        int start = readLine();
        int end = lineEnd(start);
        // "HTTP/1.1 200 OK"
        if (end - start < 12 || buf[start] != 'H' || buf[start + 4] != '/') {
            throw new IOException("malformed status line: " + ascii(start, end));
        }
        boolean http10 = buf[start + 5] == '1' && buf[start + 7] == '0';
        int sp = start + 8;
        if (buf[sp] != ' ') {
            throw new IOException("malformed status line: " + ascii(start, end));
        }
        status = (buf[sp + 1] - '0') * 100 + (buf[sp + 2] - '0') * 10 + (buf[sp + 3] - '0');
        if (status < 100 || status > 999) {
            throw new IOException("malformed status line: " + ascii(start, end));
        }
        contentLength = -1;
        chunked = false;
        closeAfter = http10;
        while (true) {
            int ls = readLine();
            int le = lineEnd(ls);
            if (le == ls) {
                return; // blank line: end of the head
            }
            if (matchesName(ls, le, "content-length")) {
                contentLength = parseDecimal(ls + 15, le);
            } else if (matchesName(ls, le, "transfer-encoding")) {
                chunked = containsIgnoreCase(ls + 18, le, "chunked");
            } else if (matchesName(ls, le, "connection")) {
                if (containsIgnoreCase(ls + 11, le, "close")) {
                    closeAfter = true;
                } else if (containsIgnoreCase(ls + 11, le, "keep-alive")) {
                    closeAfter = false;
                }
            }
        }
    }

    private void readBody(boolean headRequest) throws IOException {
        if (headRequest || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return;
        }
        if (chunked) {
            while (true) {
                int ls = readLine();
                int le = lineEnd(ls);
                long size = parseHex(ls, le);
                if (size == 0) {
                    // trailers, up to a blank line
                    while (true) {
                        int ts = readLine();
                        if (lineEnd(ts) == ts) {
                            return;
                        }
                    }
                }
                skip(size);
                int cs = readLine();
                if (lineEnd(cs) != cs) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        } else if (contentLength >= 0) {
            skip(contentLength);
        } else {
            // no framing: the body runs to the end of the connection
            closeAfter = true;
            while (fill()) {
                consume(limit - pos);
            }
        }
    }

    /** Skips (or captures) exactly n body bytes. */
    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == limit && !fill()) {
                throw new EOFException("connection closed with " + left + " body bytes missing");
            }
            int take = (int) Math.min(left, limit - pos);
            consume(take);
            left -= take;
        }
    }

    private void consume(int n) {
        if (captured && body.size() < MAX_CAPTURED_BODY) {
            body.write(buf, pos, Math.min(n, MAX_CAPTURED_BODY - body.size()));
        }
        pos += n;
    }

    /**
     * Reads up to and including the next LF; returns the start of the line in {@code buf}, with
     * {@code pos} just past the LF.
     */
    private int readLine() throws IOException {
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    int start = pos;
                    pos = i + 1;
                    return start;
                }
            }
            // need more: compact, then read
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            scan = limit;
            if (limit == buf.length) {
                throw new IOException("header line longer than " + buf.length + " bytes");
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                throw new EOFException("connection closed by the server");
            }
            limit += r;
        }
    }

    /** End of the line that starts at ls, without the CR LF. */
    private int lineEnd(int ls) {
        int e = pos - 1; // the LF
        if (e > ls && buf[e - 1] == '\r') {
            e--;
        }
        return e;
    }

    /** Reads more bytes when the buffer is empty; false at end of stream. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        pos = 0;
        int r = in.read(buf, 0, buf.length);
        limit = Math.max(r, 0);
        return r > 0;
    }

    private boolean matchesName(int ls, int le, String name) {
        int n = name.length();
        if (le - ls <= n || buf[ls + n] != ':') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.toLowerCase((char) buf[ls + i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean containsIgnoreCase(int from, int to, String token) {
        int n = token.length();
        outer:
        for (int i = from; i + n <= to; i++) {
            for (int j = 0; j < n; j++) {
                if (Character.toLowerCase((char) buf[i + j]) != token.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private long parseDecimal(int from, int to) throws IOException {
        long v = 0;
        boolean digits = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits = true;
            } else if (b != ' ' && b != '\t') {
                throw new IOException("bad Content-Length: " + ascii(from, to));
            }
        }
        if (!digits) {
            throw new IOException("empty Content-Length");
        }
        return v;
    }

    private long parseHex(int from, int to) throws IOException {
        long v = 0;
        boolean digits = false;
        for (int i = from; i < to; i++) {
            int b = buf[i];
            int d;
            if (b >= '0' && b <= '9') {
                d = b - '0';
            } else if (b >= 'a' && b <= 'f') {
                d = b - 'a' + 10;
            } else if (b >= 'A' && b <= 'F') {
                d = b - 'A' + 10;
            } else if (b == ';' || b == ' ' || b == '\t') {
                break; // chunk extensions
            } else {
                throw new IOException("bad chunk size: " + ascii(from, to));
            }
            v = (v << 4) | d;
            digits = true;
        }
        if (!digits) {
            throw new IOException("empty chunk size");
        }
        return v;
    }

    private String ascii(int from, int to) {
        return new String(buf, from, Math.max(0, Math.min(to, limit) - from), StandardCharsets.ISO_8859_1);
    }

    // ---- requests

    /** Builds a complete request; {@code body} may be null. Extra headers are "Name: value" strings. */
    public static byte[] request(String method, String hostHeader, String path, String contentType, String body,
                                 String... headers) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(hostHeader).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
            sb.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bodyBytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bodyBytes, 0, all, head.length, bodyBytes.length);
        return all;
    }
}
