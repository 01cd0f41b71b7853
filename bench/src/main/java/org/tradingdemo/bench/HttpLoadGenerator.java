package org.tradingdemo.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.tradingdemo.launcher.ConfigException;

/**
 * HTTP load generator: the throughput and latency of autonomous trade submission through the whole
 * service (HTTP, JWT, rate limits, JSON, use case, store), next to the ceiling of the same server on
 * a trivial endpoint ({@code GET /health}) measured in the same run with the same clients.
 *
 * <p>Steps: log in as the demo trader; create {@code --agents} agents (budget 1,000,000, aggressive,
 * high risk tolerance, so a $1,500 trade is autonomous); give each a few seed buys so that a sell
 * never meets an empty position; then for each scenario run {@code --clients} threads, each with its
 * own keep-alive connection, closed loop (a client sends its next request when the previous answer
 * is in), for {@code --warmup} unmeasured and {@code --duration} measured. Trades cycle through the
 * agents; each agent alternates buy and sell so cash and position stay bounded. Every latency goes
 * into an HdrHistogram per scenario and phase; statuses are counted; every non-2xx is reported.
 *
 * <p>Closed loop means latencies are service times under a fixed concurrency (no coordinated-omission
 * correction): throughput is the figure of merit, the percentiles describe the queueing at that
 * concurrency.
 *
 * <p>Exit codes: 0 all responses 2xx; 1 the run finished but some requests failed (non-2xx or I/O);
 * 2 bad usage; 3 setup failed (server did not start, login or agent creation refused).
 */
public final class HttpLoadGenerator {

    /** Latencies are recorded in microseconds, up to a minute. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int MAX_ERROR_SAMPLES = 5;
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TRADE_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"");

    private HttpLoadGenerator() {
    }

    public static void main(String[] args) {
        // the launcher's logback.xml makes logback print its whole status at start-up (an unreferenced
        // appender is a warning); keep stdout for the results
        if (System.getProperty("logback.statusListenerClass") == null) {
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        }
        int code = run(args, System.getenv(), System.out, System.err);
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(LoadOptions.USAGE);
            return 2;
        }
        if (o.help) {
            out.print(LoadOptions.USAGE);
            return 0;
        }
        LoadTarget target;
        try {
            if (o.url != null) {
                requireLoopback(o.url.host());
                if (o.password == null) {
                    err.println("--url needs the trader's password: --password or env DEMO_PASSWORD_TRADER");
                    return 2;
                }
                target = LoadTarget.remote(o.url, o.password);
            } else {
                out.println("starting the server in-process ...");
                target = InProcessTarget.start(o);
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ConfigException e) {
            err.println("server configuration: " + e.getMessage());
            return 2;
        } catch (RuntimeException | IOException e) {
            err.println("could not start the server: " + e);
            return 3;
        }
        try (target) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(target.address().host()),
                    target.address().port());
            if (!address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("not a loopback address: " + address);
            }
            String password = o.password != null ? o.password : target.traderPassword();
            out.println("target: " + target.description());
            Setup setup;
            try {
                setup = setUp(o, target.address(), address, password, target.quotaDailyMultiplier(), out);
            } catch (IOException | IllegalStateException e) {
                err.println("setup failed: " + e.getMessage());
                return 3;
            }
            RunConditions before = RunConditions.sample();
            List<ScenarioResult> results = new ArrayList<>();
            for (String scenario : o.scenarios) {
                RequestSource source = scenario.equals("health") ? healthSource(target.address())
                        : setup.tradeSource();
                String label = scenario.equals("health") ? "GET /health (ceiling)" : "POST trade (autonomous)";
                out.printf(Locale.ROOT, "%s: %d clients, warm-up %s, measuring %s ...%n", label, o.clients,
                        seconds(o.warmup.toMillis()), seconds(o.duration.toMillis()));
                ScenarioResult r = runScenario(scenario, label, source, address, o);
                results.add(r);
                out.printf(Locale.ROOT, "  %,.0f req/s, p99 %.2f ms, errors %d%n", r.requestsPerSecond(),
                        r.measured.hist.getValueAtPercentile(99) / 1000.0, r.measured.errors());
            }
            Report report = new Report(o, target, setup, before, results);
            out.println();
            out.print(report.markdown());
            try {
                report.writeJson(o.out);
                out.println("JSON: " + o.out);
            } catch (IOException e) {
                err.println("could not write " + o.out + ": " + e);
            }
            long errors = results.stream().mapToLong(r -> r.measured.errors() + r.warmup.errors()).sum();
            return errors > 0 ? 1 : 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("failed: " + e);
            return 3;
        }
    }

    static void requireLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("only loopback targets are allowed; " + host + " is " + a);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + host + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- setup

    record Setup(String token, List<String> agentIds, byte[][] buys, byte[][] sells, long seedTrades,
                 long setupMillis) {
        RequestSource tradeSource() {
            return new TradeSource(buys, sells);
        }
    }

    static Setup setUp(LoadOptions o, LoadOptions.URI uri, InetSocketAddress address, String password,
                       Optional<BigDecimal> quotaMultiplier, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        String host = uri.hostHeader();
        int timeout = (int) o.timeout.toMillis();
        try (KeepAliveHttpClient c = new KeepAliveHttpClient(address, timeout)) {
            awaitHealthy(c, host);
            if (password == null) {
                throw new IllegalStateException("no password for " + o.username
                        + ": --password or env DEMO_PASSWORD_TRADER");
            }
            String login = "{\"username\":\"" + jsonEscape(o.username) + "\",\"password\":\"" + jsonEscape(password)
                    + "\"}";
            int st = c.exchange(KeepAliveHttpClient.request("POST", host, "/api/v1/auth/login", "application/json",
                    login), true);
            if (st != 200) {
                throw new IllegalStateException("login as " + o.username + " answered " + st + ": " + c.bodyAsString());
            }
            String token = group(TOKEN, c.bodyAsString(), "token in the login response");
            String auth = "Authorization: Bearer " + token;

            String run = UUID.randomUUID().toString().substring(0, 8);
            List<String> ids = new ArrayList<>(o.agents);
            for (int i = 0; i < o.agents; i++) {
                String body = "{\"name\":\"bench-" + run + "-" + i + "\",\"budget\":" + o.budget.toPlainString()
                        + ",\"strategy\":\"aggressive\",\"riskTolerance\":\"high\"}";
                st = c.exchange(KeepAliveHttpClient.request("POST", host, "/api/v1/agents", "application/json", body,
                        auth), true);
                if (st != 201) {
                    throw new IllegalStateException("creating agent " + i + " answered " + st + ": " + c.bodyAsString());
                }
                ids.add(group(ID, c.bodyAsString(), "id in the agent response"));
            }
            byte[][] buys = new byte[ids.size()][];
            byte[][] sells = new byte[ids.size()][];
            for (int i = 0; i < ids.size(); i++) {
                String path = "/api/v1/agents/" + ids.get(i) + "/trades";
                buys[i] = KeepAliveHttpClient.request("POST", host, path, "application/json", tradeBody(o, "buy"), auth);
                sells[i] = KeepAliveHttpClient.request("POST", host, path, "application/json", tradeBody(o, "sell"),
                        auth);
            }
            // seed positions (and check that a trade of this size executes on its own)
            int seeds = o.seedBuysPerAgent();
            long seeded = 0;
            for (int round = 0; round < seeds; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    st = c.exchange(buys[i], true);
                    String status = st == 201 ? group(TRADE_STATUS, c.bodyAsString(), "trade status") : "";
                    if (st != 201 || !status.equals("executed")) {
                        throw new IllegalStateException("seed buy for agent " + ids.get(i) + " answered " + st
                                + " (expected 201 executed; is the trade autonomous and within quota?): "
                                + c.bodyAsString());
                    }
                    seeded++;
                }
            }
            if (seeds == 0) {
                // still prove the trade executes autonomously: one buy + one sell on the first agent
                for (byte[] r : new byte[][] {buys[0], sells[0]}) {
                    st = c.exchange(r, true);
                    if (st != 201) {
                        throw new IllegalStateException("probe trade answered " + st + ": " + c.bodyAsString());
                    }
                    seeded++;
                }
            }
            BigDecimal multiplier = quotaMultiplier.orElse(BigDecimal.ONE);
            BigDecimal perAgent = o.budget.multiply(multiplier).divideToIntegralValue(tradeAmount(o));
            out.printf(Locale.ROOT, "quota: budget x %s%s allows %,d trades of $%s per agent and day, %,d in all%n",
                    multiplier.toPlainString(), quotaMultiplier.isPresent() ? "" : " (assumed: QUOTA_DAILY_MULTIPLIER "
                            + "of the server unknown)", perAgent.toBigInteger(),
                    tradeAmount(o).stripTrailingZeros().toPlainString(),
                    perAgent.multiply(BigDecimal.valueOf(ids.size())).toBigInteger());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            out.printf(Locale.ROOT, "setup: logged in as %s, %d agents, %d seed trades (%d ms)%n", o.username,
                    ids.size(), seeded, ms);
            return new Setup(token, List.copyOf(ids), buys, sells, seeded, ms);
        }
    }

    private static void awaitHealthy(KeepAliveHttpClient c, String host) throws IOException {
        byte[] health = KeepAliveHttpClient.request("GET", host, "/health", null, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                int st = c.exchange(health, true);
                if (st == 200) {
                    return;
                }
                last = new IOException("GET /health answered " + st + ": " + c.bodyAsString());
            } catch (IOException e) {
                last = e;
            }
            sleep(200);
        }
        throw new IOException("server not healthy after 15 s: " + last, last);
    }

    static String tradeBody(LoadOptions o, String side) {
        return "{\"symbol\":\"" + jsonEscape(o.symbol) + "\",\"side\":\"" + side + "\",\"quantity\":"
                + o.quantity.toPlainString() + ",\"price\":" + o.price.toPlainString() + ",\"type\":\"limit\"}";
    }

    private static String group(Pattern p, String body, String what) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + ": " + body);
        }
        return m.group(1);
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- request sources

    /** The next request of a client; called from many threads. */
    interface RequestSource {
        byte[] next();
    }

    static RequestSource healthSource(LoadOptions.URI uri) {
        byte[] health = KeepAliveHttpClient.request("GET", uri.hostHeader(), "/health", null, null);
        return () -> health;
    }

    /**
     * Trades round-robin over the agents; each agent's own sequence is buy, sell, buy, sell... (a
     * per-agent counter), so its position moves between seed and seed + 1 trade, give or take the
     * requests in flight, which the seed buys cover.
     */
    static final class TradeSource implements RequestSource {
        private final byte[][] buys;
        private final byte[][] sells;
        private final AtomicLong ticket = new AtomicLong();
        private final AtomicLongArray perAgent;

        TradeSource(byte[][] buys, byte[][] sells) {
            this.buys = buys;
            this.sells = sells;
            this.perAgent = new AtomicLongArray(buys.length);
        }

        @Override
        public byte[] next() {
            int a = (int) (ticket.getAndIncrement() % buys.length);
            return (perAgent.getAndIncrement(a) & 1) == 0 ? buys[a] : sells[a];
        }
    }

    // ---------------------------------------------------------------- measurement

    /** What one phase (warm-up or measured) of one scenario saw, merged over the clients. */
    static final class PhaseStats {
        final Histogram hist = new Histogram(1, HIGHEST_MICROS, 3);
        final long[] statuses = new long[1000];
        long ioErrors;
        final Map<String, Integer> errorSamples = new LinkedHashMap<>();
        long requests;

        void record(int status, long micros) {
            hist.recordValue(Math.max(1, Math.min(micros, HIGHEST_MICROS)));
            statuses[status]++;
            requests++;
        }

        void sample(String key) {
            if (errorSamples.containsKey(key)) {
                errorSamples.merge(key, 1, Integer::sum);
            } else if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                errorSamples.put(key, 1);
            }
        }

        void merge(PhaseStats other) {
            hist.add(other.hist);
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] += other.statuses[i];
            }
            ioErrors += other.ioErrors;
            requests += other.requests;
            other.errorSamples.forEach((k, v) -> {
                if (errorSamples.containsKey(k) || errorSamples.size() < MAX_ERROR_SAMPLES) {
                    errorSamples.merge(k, v, Integer::sum);
                }
            });
        }

        long count(int fromInclusive, int toExclusive) {
            long n = 0;
            for (int i = fromInclusive; i < toExclusive; i++) {
                n += statuses[i];
            }
            return n;
        }

        /** Non-2xx responses plus I/O failures. */
        long errors() {
            return requests - count(200, 300) + ioErrors;
        }

        Map<Integer, Long> statusMap() {
            Map<Integer, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < statuses.length; i++) {
                if (statuses[i] > 0) {
                    m.put(i, statuses[i]);
                }
            }
            return m;
        }
    }

    /** One scenario: both phases plus what the CPU did while it was measured. */
    static final class ScenarioResult {
        final String name;
        final String label;
        final PhaseStats warmup = new PhaseStats();
        final PhaseStats measured = new PhaseStats();
        double measuredSeconds;
        long clientCpuNanos;
        long processCpuNanos = -1;
        /** JIT compilation time of this JVM in the measured window (all compiler threads), or -1. */
        long jitMillis = -1;
        /** Garbage collection time of this JVM in the measured window (pauses and concurrent work). */
        long gcMillis;
        /** CPU of a separate server process (--server-pid), or -1. */
        long serverProcessCpuNanos = -1;
        double machineBusy = -1;
        long reconnects;
        int clients;

        ScenarioResult(String name, String label) {
            this.name = name;
            this.label = label;
        }

        double requestsPerSecond() {
            return measured.requests / measuredSeconds;
        }
    }

    static final class Client implements Runnable {
        final KeepAliveHttpClient http;
        final RequestSource source;
        final CountDownLatch ready;
        final CountDownLatch go;
        final Timeline timeline;
        final PhaseStats warmup = new PhaseStats();
        final PhaseStats measured = new PhaseStats();
        long cpuNanos;
        volatile Throwable failure;

        Client(KeepAliveHttpClient http, RequestSource source, CountDownLatch ready, CountDownLatch go,
               Timeline timeline) {
            this.http = http;
            this.source = source;
            this.ready = ready;
            this.go = go;
            this.timeline = timeline;
        }

        @Override
        public void run() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            boolean cpu = mx.isCurrentThreadCpuTimeSupported();
            try {
                try {
                    http.connect();
                } finally {
                    ready.countDown();
                }
                go.await();
                long warmEnd = timeline.warmEnd;
                long end = timeline.end;
                long cpuStart = -1;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 - end >= 0) {
                        break;
                    }
                    boolean inMeasure = t0 - warmEnd >= 0;
                    if (inMeasure && cpuStart < 0 && cpu) {
                        cpuStart = mx.getCurrentThreadCpuTime();
                    }
                    PhaseStats phase = inMeasure ? measured : warmup;
                    byte[] request = source.next();
                    int status;
                    try {
                        status = http.exchange(request, false);
                    } catch (IOException e) {
                        phase.ioErrors++;
                        phase.requests++;
                        phase.sample("I/O " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        sleep(10);
                        continue;
                    }
                    long micros = (System.nanoTime() - t0) / 1000;
                    phase.record(status, micros);
                    if (status < 200 || status >= 300) {
                        phase.sample(status + " " + abbreviate(http.bodyAsString()));
                    }
                }
                if (cpuStart >= 0) {
                    cpuNanos = mx.getCurrentThreadCpuTime() - cpuStart;
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                http.close();
            }
        }
    }

    /** Start, end of warm-up and end of measurement, in System.nanoTime(); set before the clients start. */
    static final class Timeline {
        long start;
        long warmEnd;
        long end;
    }

    static ScenarioResult runScenario(String name, String label, RequestSource source, InetSocketAddress address,
                                      LoadOptions o) throws IOException {
        int n = o.clients;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        Timeline timeline = new Timeline();
        List<Client> clients = new ArrayList<>(n);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Client c = new Client(new KeepAliveHttpClient(address, (int) o.timeout.toMillis()), source, ready, go,
                    timeline);
            Thread t = new Thread(c, "load-" + name + "-" + i);
            t.setDaemon(true);
            clients.add(c);
            threads.add(t);
            t.start();
        }
        ScenarioResult result = new ScenarioResult(name, label);
        result.clients = n;
        try {
            if (!ready.await(o.timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                throw new IOException("clients could not connect within " + o.timeout);
            }
            for (Client c : clients) {
                if (c.failure != null) {
                    go.countDown();
                    throw new IOException("client could not connect: " + c.failure, c.failure);
                }
            }
            long now = System.nanoTime();
            timeline.start = now;
            timeline.warmEnd = now + o.warmup.toNanos();
            timeline.end = timeline.warmEnd + o.duration.toNanos();
            go.countDown();

            sleepUntil(timeline.warmEnd);
            long cpu0 = processCpuNanos();
            Optional<long[]> machine0 = ProcStat.read();
            long server0 = ProcStat.processCpuNanos(o.serverPid);
            long jit0 = jitMillis();
            long gc0 = gcMillis();
            sleepUntil(timeline.end);
            result.jitMillis = jit0 < 0 ? -1 : jitMillis() - jit0;
            result.gcMillis = gcMillis() - gc0;
            long cpu1 = processCpuNanos();
            Optional<long[]> machine1 = ProcStat.read();
            long server1 = ProcStat.processCpuNanos(o.serverPid);
            if (cpu0 >= 0 && cpu1 >= 0) {
                result.processCpuNanos = cpu1 - cpu0;
            }
            if (server0 >= 0 && server1 >= 0) {
                result.serverProcessCpuNanos = server1 - server0;
            }
            result.machineBusy = ProcStat.busy(machine0, machine1);

            long hardStop = System.nanoTime() + o.timeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < n; i++) {
                long left = hardStop - System.nanoTime();
                threads.get(i).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            for (int i = 0; i < n; i++) {
                if (threads.get(i).isAlive()) {
                    clients.get(i).http.abort(); // a request past every timeout: break it off
                    threads.get(i).join(1_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            go.countDown();
        }
        result.measuredSeconds = o.duration.toNanos() / 1e9;
        for (Client c : clients) {
            if (c.failure != null) {
                throw new IOException("client failed: " + c.failure, c.failure);
            }
            result.warmup.merge(c.warmup);
            result.measured.merge(c.measured);
            result.clientCpuNanos += c.cpuNanos;
            result.reconnects += Math.max(0, c.http.connects() - 1);
        }
        return result;
    }

    static long jitMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Machine-wide CPU counters from /proc/stat (Linux); empty elsewhere. */
    static final class ProcStat {
        private ProcStat() {
        }

        /** {busy, total} jiffies; empty where /proc/stat cannot be read. */
        static Optional<long[]> read() {
            try {
                String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
                String[] f = line.trim().split("\\s+");
                long total = 0;
                long idle = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i == 4 || i == 5) {
                        idle += v; // idle, iowait
                    }
                }
                return Optional.of(new long[] {total - idle, total});
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /**
         * utime + stime of a process from /proc/PID/stat, in nanoseconds (assuming the usual 100 clock
         * ticks per second), or -1 when pid is not positive or the file cannot be read.
         */
        static long processCpuNanos(long pid) {
            if (pid <= 0) {
                return -1;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                // after "pid (comm) ": state is field 3, utime 14, stime 15
                long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
                return ticks * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Share of all cores busy between two samples, or -1. */
        static double busy(Optional<long[]> first, Optional<long[]> second) {
            if (first.isEmpty() || second.isEmpty() || second.get()[1] <= first.get()[1]) {
                return -1;
            }
            long[] a = first.get();
            long[] b = second.get();
            return (double) (b[0] - a[0]) / (b[1] - a[1]);
        }
    }

    /** Load average and cores when the run started. */
    record RunConditions(Instant at, int cores, String loadAverage, String jvm) {
        static RunConditions sample() {
            String load;
            try {
                load = Files.readString(Path.of("/proc/loadavg")).trim();
            } catch (IOException | RuntimeException e) {
                load = "n/a";
            }
            return new RunConditions(Instant.now(), Runtime.getRuntime().availableProcessors(), load,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        }
    }

    // ---------------------------------------------------------------- helpers

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static BigDecimal tradeAmount(LoadOptions o) {
        return o.quantity.multiply(o.price);
    }
}
