package org.tradingdemo.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer;
import org.tradingdemo.adapter.rest.ApiMetrics;
import org.tradingdemo.adapter.rest.ReadinessCheck;
import org.tradingdemo.adapter.rest.RestApi;
import org.tradingdemo.adapter.rest.RestSettings;
import org.tradingdemo.adapter.rest.RestUseCases;
import org.tradingdemo.app.TradingDemo;
import org.tradingdemo.app.TradingStore;
import org.tradingdemo.app.service.TradingSettings;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.domain.policy.QuotaPolicy;
import org.tradingdemo.adapter.sqlite.SqliteOptions;
import org.tradingdemo.adapter.sqlite.SqliteStore;
import org.tradingdemo.adapter.sqlite.SqliteStoreException;

/**
 * The running service: every port, use case and adapter composed by hand, in this one class (no
 * container), from one {@link ServiceConfig}. {@link #start} returns once the HTTP port is bound;
 * {@link #close} stops it gracefully.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfig.parse(Map.of(
 *         "PORT", "0",                                     // any free port; server.port() tells which
 *         "DB_PATH", tmpDir.resolve("trading.db").toString(), // the data folder (key file, demo-user ids)
 *         "DEMO_PASSWORD_TRADER", "trader-password"), List.of());
 * try (TradingServer server = TradingServer.start(config)) {
 *     // POST server.baseUrl() + "/api/v1/auth/login" {"username":"trader","password":"trader-password"}
 * }
 * }</pre>
 *
 * Start-up order: data folder and JWT key; store and use cases; demo users (first start only);
 * metrics and readiness; HTTP; the scheduler (approval expiry, outbox retries). {@link #close} stops
 * HTTP first (in-flight requests finish), then the scheduler, then the store.
 */
public final class TradingServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TradingServer.class);
    /** How long a stop waits for metering to answer the quota completions sent last. */
    private static final Duration COMPLETION_ANSWERS_TIMEOUT = Duration.ofSeconds(2);
    /** How often failed outbox deliveries are retried (each message has its own backoff on top). */
    static final Duration OUTBOX_RETRY_INTERVAL = Duration.ofSeconds(1);

    private final ServiceConfig config;
    private final TradingDemo demo;
    private final StoreHandle store;
    private final RemoteServices remote;
    private final PrometheusMeterRegistry registry;
    private final Javalin http;
    private final ScheduledExecutorService scheduler;
    private final List<DemoUsers.Credential> firstStartCredentials;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private TradingServer(ServiceConfig config, TradingDemo demo, StoreHandle store, RemoteServices remote,
                          PrometheusMeterRegistry registry,
                          Javalin http, ScheduledExecutorService scheduler,
                          List<DemoUsers.Credential> firstStartCredentials) {
        this.config = config;
        this.demo = demo;
        this.store = store;
        this.remote = remote;
        this.registry = registry;
        this.http = http;
        this.scheduler = scheduler;
        this.firstStartCredentials = firstStartCredentials;
    }

    /**
     * Wires and starts everything; returns when the port is bound and the scheduler runs.
     *
     * @throws ConfigException when the configuration cannot be used (data folder not writable, bad key
     *                         file, port taken); nothing is left running
     */
    public static TradingServer start(ServiceConfig config) {
        Objects.requireNonNull(config, "config");
        Clock clock = Clock.systemUTC();
        createDataDir(config);
        Secret jwtSecret = JwtSecretFile.resolve(config);

        StoreHandle store = openStore(config);
        OversightPolicy policy = new OversightPolicy(Money.usd(config.approvalThresholdUsd().toPlainString()));
        RemoteServices remote = null;
        PrometheusMeterRegistry registry = null;
        Javalin http = null;
        try {
            // 1. metering and oversight: embedded reference servers on loopback, external ones, or in-process
            remote = RemoteServices.connect(config, policy, store.store(), clock);
            // 2. the use cases over the store, and the demo users on first start
            TradingDemo.Builder builder = TradingDemo.builder(clock)
                    .store(store.store())
                    .oversightPolicy(policy)
                    .settings(new TradingSettings(config.approvalTtl(),
                            new QuotaPolicy(config.quotaDailyMultiplier(), QuotaPolicy.DEFAULT_MONTHLY_MULTIPLIER),
                            CostPriceList.defaults()));
            remote.quota().ifPresent(builder::quota);
            remote.approval().ifPresent(builder::approval);
            TradingDemo demo = builder.build();
            remote.listenForDecisions(demo.decideOversightRequest());
            List<DemoUsers.Credential> created = DemoUsers.provision(demo.provisionUsers(), config);
            DemoUsers.writeIds(store.store(), config.dataDir());

            // 2. metrics and readiness
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            TradingStore s = store.store();
            ApiMetrics.pendingApprovalsGauge(registry, () -> s.oversightRequests().countPending());
            List<ReadinessCheck> readiness = new java.util.ArrayList<>();
            readiness.add(ReadinessCheck.of("store", store.healthy()));
            readiness.addAll(remote.readiness());

            // 3. the HTTP adapter; graceful stop: stop accepting, then give in-flight requests time to finish
            http = RestApi.create(useCases(demo), restSettings(config, jwtSecret, clock), readiness, registry);
            listen(http, config);
            // set once bound: a failed bind makes Javalin stop the server, which must not be graceful then
            http.jettyServer().server().setStopTimeout(config.shutdownTimeout().toMillis());

            // 4. background work, on one daemon thread: expiring approval requests nobody decided on,
            //    and retrying outbox deliveries that failed right after their commit
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "trading-scheduler");
                t.setDaemon(true);
                return t;
            });
            long every = config.expiryCheckInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> expireOverdue(demo), every, every, TimeUnit.MILLISECONDS);
            long retry = OUTBOX_RETRY_INTERVAL.toMillis();
            scheduler.scheduleWithFixedDelay(() -> relayOutbox(demo), retry, retry, TimeUnit.MILLISECONDS);

            TradingServer server = new TradingServer(config, demo, store, remote, registry, http, scheduler, created);
            log.info("listening on {} (store {}, data folder {})", server.baseUrl(),
                    config.store().name().toLowerCase(Locale.ROOT), config.dataDir());
            return server;
        } catch (RuntimeException e) {
            // leave nothing running behind a failed start
            if (http != null) {
                stopQuietly(http);
            }
            if (registry != null) {
                registry.close();
            }
            if (remote != null) {
                remote.close();
            }
            store.close();
            throw e;
        }
    }

    private static void listen(Javalin http, ServiceConfig config) {
        try {
            http.start(config.host(), config.port());
        } catch (Exception e) { // Javalin (Kotlin) can throw checked exceptions undeclared
            throw new ConfigException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e) + " (set PORT to a free port, or 0 for any)", e);
        }
    }

    private static void stopQuietly(Javalin http) {
        try {
            http.stop();
        } catch (RuntimeException e) {
            log.warn("the HTTP server did not stop cleanly", e);
        }
    }

    /** The HTTP adapter's view of the configuration. */
    static RestSettings restSettings(ServiceConfig config, Secret jwtSecret, Clock clock) {
        return new RestSettings(jwtSecret.utf8(), RestSettings.DEFAULT_ISSUER, RestSettings.DEFAULT_AUDIENCE,
                Duration.ofHours(8), config.corsOrigins(), config.rateLimitUserPerHour(),
                config.rateLimitAgentPerMinute(), 64 * 1024, clock);
    }

    private static RestUseCases useCases(TradingDemo d) {
        return new RestUseCases(d.authenticate(), d.createAgent(), d.getAgent(), d.listAgents(), d.suspendAgent(),
                d.resumeAgent(), d.terminateAgent(), d.submitTrade(), d.getTrade(), d.listTrades(), d.cancelTrade(),
                d.getPortfolio(), d.getAgentUsage(), d.getUsageSummary(), d.getCostReport(),
                d.listOversightRequests(), d.getOversightRequest(), d.decideOversightRequest(), d.raiseAlert(),
                d.listAlerts(), d.acknowledgeAlert());
    }

    /** The store, its health check for /ready, and how to release it (nothing to release in memory). */
    private record StoreHandle(TradingStore store, java.util.function.BooleanSupplier healthy, AutoCloseable closer) {
        void close() {
            try {
                closer.close();
            } catch (Exception e) {
                log.warn("closing the store failed", e);
            }
        }
    }

    private static StoreHandle openStore(ServiceConfig config) {
        return switch (config.store()) {
            case MEMORY -> new StoreHandle(TradingStore.inMemory(), () -> true, () -> { });
            case SQLITE -> {
                SqliteStore sqlite = openSqlite(config);
                yield new StoreHandle(new TradingStore(sqlite.transactions(), sqlite.agents(), sqlite.trades(),
                        sqlite.portfolios(), sqlite.oversightRequests(), sqlite.usageLedger(), sqlite.alerts(),
                        sqlite.users(), sqlite.outbox()), sqlite::isHealthy, sqlite);
            }
        };
    }

    /** Opens the database file; every refusal (corrupt, newer schema, unwritable) is one clear line. */
    static SqliteStore openSqlite(ServiceConfig config) {
        SqliteOptions.Synchronous sync = config.sqliteSynchronous() == ServiceConfig.SqliteSync.FULL
                ? SqliteOptions.Synchronous.FULL : SqliteOptions.Synchronous.NORMAL;
        try {
            return SqliteStore.open(config.dbPath(), SqliteOptions.defaults().withSynchronous(sync));
        } catch (SqliteStoreException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static void createDataDir(ServiceConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("cannot create the data folder " + config.dataDir() + " (from DB_PATH): "
                    + e.getMessage(), e);
        }
    }

    /** On the scheduler thread: an exception must not end the schedule, so it is logged here. */
    private static void relayOutbox(TradingDemo demo) {
        try {
            demo.outboxRelay().runOnce();
        } catch (RuntimeException e) {
            log.error("retrying outbox deliveries failed; retrying on the next run", e);
        }
    }

    /** On the scheduler thread: an exception must not end the schedule, so it is logged here. */
    private static void expireOverdue(TradingDemo demo) {
        try {
            int expired = demo.expireOverdueRequests().expireOverdue();
            if (expired > 0) {
                log.info("expired {} overdue approval request(s)", expired);
            }
        } catch (RuntimeException e) {
            log.error("expiring overdue approval requests failed; retrying on the next run", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** The bound port (the real one when the configuration asked for 0). */
    public int port() {
        return http.port();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        String host = config.host().contains(":") && !config.host().startsWith("[")
                ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public ServiceConfig config() {
        return config;
    }

    /** The use cases behind the API, for tests that arrange state directly. */
    public TradingDemo demo() {
        return demo;
    }

    /**
     * The demo accounts created by this start (empty when the store already had users). Passwords
     * that came from the configuration are included but marked as not generated.
     */
    List<DemoUsers.Credential> firstStartCredentials() {
        return firstStartCredentials;
    }

    /**
     * Diagnostics: the embedded oversight reference server, when this process runs one (an operator's
     * view of creto-oversight: its admin API approves, rejects and reads requests there).
     */
    Optional<OversightGrpcServer> embeddedOversightServer() {
        return remote.embeddedOversightServer();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops gracefully, in order: the HTTP connector stops accepting and in-flight requests finish
     * (up to {@code SHUTDOWN_TIMEOUT}); the scheduler stops; the outbox gets a last pass; the store is
     * closed. Idempotent: a second caller waits for the first to finish.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (this) {
            first = !closing;
            closing = true;
        }
        if (!first) {
            awaitQuietly();
            return;
        }
        try {
            stopQuietly(http);
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(config.shutdownTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
            // quota completions sent after the last commits get their answers before metering closes
            if (!demo.outboxRelay().awaitAnswers(COMPLETION_ANSWERS_TIMEOUT)) {
                log.warn("{} quota completion(s) unanswered at shutdown; they stay in the outbox",
                        demo.outboxRelay().unanswered());
            }
            // a last pass, so deliveries made while stopping are recorded before the store goes
            relayOutbox(demo);
            remote.close();
            store.close();
            registry.close();
            log.info("stopped");
        } finally {
            closed.countDown();
        }
    }

    private void awaitQuietly() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TradingServer[" + (closed.getCount() == 0 ? "closed" : baseUrl()) + "]";
    }
}
