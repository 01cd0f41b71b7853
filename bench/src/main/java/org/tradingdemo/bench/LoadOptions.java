package org.tradingdemo.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command line of {@link HttpLoadGenerator}. */
final class LoadOptions {

    static final String USAGE = """
            Usage: java -cp bench/target/benchmarks.jar org.tradingdemo.bench.HttpLoadGenerator [options] [-- server flags]

            Without --url the server is started in this JVM on a free loopback port (memory store; rate limits and
            the daily quota multiplier at their maximum so they never refuse a request of the run; access log off);
            with --url an already running server on a loopback address is measured (its limits must allow the load).

              --url URL             target a running server, e.g. http://127.0.0.1:8080 (loopback only)
              --clients N           concurrent client connections, one thread each (default 64)
              --agents N            agents created for the run (default 40)
              --duration D          measured time per scenario, e.g. 20s, 1m, 500ms (default 20s)
              --warmup D            unmeasured time before each scenario's measurement (default 5s)
              --scenarios LIST      comma-separated, run in this order: health,trades (default health,trades)
              --username NAME       the trader to log in as (default trader)
              --password PW         the trader's password (default: env DEMO_PASSWORD_TRADER; generated in-process)
              --symbol S            (default AAPL)
              --quantity Q          shares per trade (default 10)
              --price P             limit price (default 150: $1,500 a trade, autonomous for the agents created).
                                    An agent's daily quota is budget x QUOTA_DAILY_MULTIPLIER: in-process it is
                                    raised to 1,000,000; a server started with the default 1 allows only 666
                                    trades of $1,500 per agent a day (use e.g. --quantity 1 --price 1.50 there)
              --budget B            agent budget (default 1000000)
              --seed-buys N         buys per agent before the run so a sell never meets an empty position
                                    (default: 2 x clients / agents + 2)
              --access-log          in-process: keep the per-request access log on stderr (default: off)
              --server-pid PID      with --url: the server's process id, to report its CPU per request (Linux)
              --timeout D           socket connect/read timeout (default 10s)
              --out FILE            JSON results (default bench/results/http-load.json)
              --help

            Arguments after "--" are passed to the in-process server's configuration as flags, e.g.
              -- --metering-grpc-url local --oversight-grpc-url local     (no gRPC hop)
              -- --store sqlite                                            (SQLite in the temporary folder)
            """;

    URI url;
    int clients = 64;
    int agents = 40;
    Duration duration = Duration.ofSeconds(20);
    Duration warmup = Duration.ofSeconds(5);
    List<String> scenarios = List.of("health", "trades");
    String username = "trader";
    String password;
    String symbol = "AAPL";
    BigDecimal quantity = BigDecimal.TEN;
    BigDecimal price = new BigDecimal("150");
    BigDecimal budget = new BigDecimal("1000000");
    int seedBuys = -1;
    Duration timeout = Duration.ofSeconds(10);
    Path out = Path.of("bench", "results", "http-load.json");
    List<String> serverArgs = new ArrayList<>();
    boolean help;
    boolean accessLog;
    long serverPid = -1;

    /** A URL reduced to what the client needs. */
    record URI(String host, int port) {
        static URI parse(String s) {
            java.net.URI u = java.net.URI.create(s);
            if (!"http".equalsIgnoreCase(u.getScheme())) {
                throw new IllegalArgumentException("only http:// URLs are supported: " + s);
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host in " + s);
            }
            if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
                throw new IllegalArgumentException("give the server's base URL without a path: " + s);
            }
            return new URI(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
        }

        String hostHeader() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return "http://" + hostHeader();
        }
    }

    static LoadOptions parse(String[] args, Map<String, String> env) {
        LoadOptions o = new LoadOptions();
        o.password = env.get("DEMO_PASSWORD_TRADER");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                for (int j = i + 1; j < args.length; j++) {
                    o.serverArgs.add(args[j]);
                }
                break;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                o.help = true;
                continue;
            }
            if (name.equals("--access-log") && value == null) {
                o.accessLog = true;
                continue;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--url" -> o.url = URI.parse(value);
                case "--clients" -> o.clients = positive(name, value);
                case "--agents" -> o.agents = positive(name, value);
                case "--duration" -> o.duration = duration(name, value);
                case "--warmup" -> o.warmup = duration(name, value);
                case "--scenarios" -> {
                    List<String> list = new ArrayList<>();
                    for (String s : value.split(",")) {
                        String t = s.trim().toLowerCase(Locale.ROOT);
                        if (!t.equals("health") && !t.equals("trades")) {
                            throw new IllegalArgumentException("unknown scenario: " + s + " (health, trades)");
                        }
                        list.add(t);
                    }
                    o.scenarios = List.copyOf(list);
                }
                case "--username" -> o.username = value;
                case "--password" -> o.password = value;
                case "--symbol" -> o.symbol = value;
                case "--quantity" -> o.quantity = decimal(name, value);
                case "--price" -> o.price = decimal(name, value);
                case "--budget" -> o.budget = decimal(name, value);
                case "--seed-buys" -> o.seedBuys = Integer.parseInt(value);
                case "--timeout" -> o.timeout = duration(name, value);
                case "--server-pid" -> o.serverPid = positive(name, value);
                case "--out" -> o.out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        if (o.duration.isZero() || o.duration.isNegative() || o.warmup.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
        }
        return o;
    }

    int seedBuysPerAgent() {
        return seedBuys >= 0 ? seedBuys : 2 * ((clients + agents - 1) / agents) + 2;
    }

    private static int positive(String name, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + v);
        }
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return n;
    }

    private static BigDecimal decimal(String name, String v) {
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.signum() <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + v);
        }
    }

    /** "20s", "500ms", "2m", or a bare number of seconds. */
    static Duration duration(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a duration: " + v);
        }
    }
}
