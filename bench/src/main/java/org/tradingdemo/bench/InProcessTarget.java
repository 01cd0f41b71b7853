package org.tradingdemo.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.adapter.rest.RequestLogging;
import org.tradingdemo.launcher.ServiceConfig;
import org.tradingdemo.launcher.TradingServer;

/**
 * The service started in this JVM exactly as {@code java -jar trading-demo.jar} starts it
 * ({@link TradingServer#start} over {@link ServiceConfig#parse}), at the launcher's defaults except:
 * <ul>
 *   <li>{@code HOST=127.0.0.1}, {@code PORT=0} (a free loopback port), {@code STORE=memory};</li>
 *   <li>{@code DB_PATH} in a temporary folder (the data folder receives the demo-user ids and any
 *       database file), deleted on close;</li>
 *   <li>{@code JWT_SECRET} and {@code DEMO_PASSWORD_TRADER} random (or the trader password given
 *       with {@code --password});</li>
 *   <li>{@code RATE_LIMIT_USER_PER_HOUR} and {@code RATE_LIMIT_AGENT_PER_MINUTE} at their maximum,
 *       1,000,000,000: the buckets are still taken from on every request but never refuse one in a
 *       run (all requests come from one user, at most ~10^5/s);</li>
 *   <li>{@code QUOTA_DAILY_MULTIPLIER} at its maximum, 1,000,000: the quota is still checked and
 *       reserved on every trade (as in {@code SubmitTradeBenchmark}) but a $1,500 trade never
 *       reaches it;</li>
 *   <li>the {@code access} logger at WARN unless {@code --access-log} is given: one synchronous line
 *       per request on stderr would measure the terminal, not the service.</li>
 * </ul>
 * Metering and oversight stay at the launcher's default (today: the embedded gRPC reference servers
 * on loopback). Flags after {@code --} on the command line override any of this, e.g.
 * {@code -- --metering-grpc-url local --oversight-grpc-url local} or {@code -- --store sqlite}.
 */
final class InProcessTarget implements LoadTarget {

    static final String MAX_RATE = "1000000000";
    static final String MAX_QUOTA_MULTIPLIER = "1000000";

    private final TradingServer server;
    private final Path dataDir;
    private final String password;
    private final Map<String, String> settings;
    private final LoadOptions.URI address;
    private final BigDecimal quotaMultiplier;

    private InProcessTarget(TradingServer server, Path dataDir, String password, Map<String, String> settings,
                            BigDecimal quotaMultiplier) {
        this.server = server;
        this.quotaMultiplier = quotaMultiplier;
        this.dataDir = dataDir;
        this.password = password;
        this.settings = settings;
        this.address = LoadOptions.URI.parse(server.baseUrl());
    }

    static LoadTarget start(LoadOptions o) throws IOException {
        Logger access = (Logger) LoggerFactory.getLogger(RequestLogging.ACCESS_LOGGER);
        if (!o.accessLog) {
            access.setLevel(Level.WARN);
        }
        Path dir = Files.createTempDirectory("http-load-");
        String password = o.password != null ? o.password : random(24);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("STORE", "memory");
        env.put("DB_PATH", dir.resolve("trading.db").toString());
        env.put("JWT_SECRET", random(48));
        env.put("DEMO_PASSWORD_TRADER", password);
        env.put("RATE_LIMIT_USER_PER_HOUR", MAX_RATE);
        env.put("RATE_LIMIT_AGENT_PER_MINUTE", MAX_RATE);
        env.put("QUOTA_DAILY_MULTIPLIER", MAX_QUOTA_MULTIPLIER);
        ServiceConfig config;
        TradingServer server;
        try {
            config = ServiceConfig.parse(env, o.serverArgs);
            server = TradingServer.start(config);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("store", config.store().name().toLowerCase(Locale.ROOT));
        shown.put("metering", config.meteringGrpcUrl().orElse("embedded gRPC reference server"));
        shown.put("oversight", config.oversightGrpcUrl().orElse("embedded gRPC reference server"));
        shown.put("rateLimitUserPerHour", String.valueOf(config.rateLimitUserPerHour()));
        shown.put("rateLimitAgentPerMinute", String.valueOf(config.rateLimitAgentPerMinute()));
        shown.put("quotaDailyMultiplier", config.quotaDailyMultiplier().toPlainString());
        shown.put("approvalThresholdUsd", config.approvalThresholdUsd().toPlainString());
        shown.put("accessLog", o.accessLog ? "on (stderr)" : "off (logger 'access' at WARN)");
        if (!o.serverArgs.isEmpty()) {
            shown.put("serverFlags", String.join(" ", o.serverArgs));
        }
        shown.put("serviceConfig", config.toString());
        return new InProcessTarget(server, dir, password, shown, config.quotaDailyMultiplier());
    }

    @Override
    public LoadOptions.URI address() {
        return address;
    }

    @Override
    public String description() {
        return "in-process TradingServer at " + server.baseUrl() + " (same JVM as the load generator)";
    }

    @Override
    public Optional<BigDecimal> quotaDailyMultiplier() {
        return Optional.of(quotaMultiplier);
    }

    @Override
    public boolean sameJvm() {
        return true;
    }

    @Override
    public String traderPassword() {
        return password;
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private static String random(int length) {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp folder left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
