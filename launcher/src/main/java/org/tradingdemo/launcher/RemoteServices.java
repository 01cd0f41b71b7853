package org.tradingdemo.launcher;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.adapter.grpc.metering.GrpcQuotaClient;
import org.tradingdemo.adapter.grpc.metering.MeteringClientConfig;
import org.tradingdemo.adapter.grpc.metering.MeteringGrpcServer;
import org.tradingdemo.adapter.grpc.metering.MeteringServerConfig;
import org.tradingdemo.adapter.grpc.oversight.GrpcApprovalClient;
import org.tradingdemo.adapter.grpc.oversight.OversightAuthority;
import org.tradingdemo.adapter.grpc.oversight.OversightClientConfig;
import org.tradingdemo.adapter.grpc.oversight.OversightDecisionListener;
import org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer;
import org.tradingdemo.adapter.grpc.oversight.OversightServerConfig;
import org.tradingdemo.adapter.grpc.oversight.RiskRules;
import org.tradingdemo.adapter.rest.ReadinessCheck;
import org.tradingdemo.app.TradingStore;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.QuotaPort;

/**
 * Metering and oversight as the configuration asks: by default the reference servers are started
 * embedded on loopback and reached through the very same gRPC clients an external service would be;
 * {@code METERING_GRPC_URL} / {@code OVERSIGHT_GRPC_URL} point the clients elsewhere instead; the
 * value {@code local} uses the in-process adapters (LocalQuota, LocalApproval) with no gRPC at all.
 */
final class RemoteServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemoteServices.class);

    private final Optional<QuotaPort> quota;
    private final Optional<ApprovalPort> approval;
    private final List<ReadinessCheck> readiness;
    private final List<AutoCloseable> closers;
    private final Optional<OversightClientConfig> oversightClientConfig;
    private final Optional<OversightGrpcServer> embeddedOversight;
    private OversightDecisionListener listener;

    private RemoteServices(Optional<QuotaPort> quota, Optional<ApprovalPort> approval, List<ReadinessCheck> readiness,
                           List<AutoCloseable> closers, Optional<OversightClientConfig> oversightClientConfig,
                           Optional<OversightGrpcServer> embeddedOversight) {
        this.quota = quota;
        this.approval = approval;
        this.readiness = readiness;
        this.closers = closers;
        this.oversightClientConfig = oversightClientConfig;
        this.embeddedOversight = embeddedOversight;
    }

    static RemoteServices connect(ServiceConfig config, OversightPolicy policy, TradingStore store, Clock clock) {
        List<AutoCloseable> closers = new ArrayList<>();
        List<ReadinessCheck> readiness = new ArrayList<>();
        Optional<String> apiKey = config.grpcApiKey().map(Secret::reveal);
        try {
            Optional<QuotaPort> quota = Optional.empty();
            if (!config.meteringGrpcUrl().map(ServiceConfig.LOCAL::equals).orElse(false)) {
                String target;
                if (config.meteringGrpcUrl().isPresent()) {
                    target = asTarget(config.meteringGrpcUrl().get());
                } else {
                    MeteringServerConfig serverConfig = MeteringServerConfig.loopback(0);
                    if (apiKey.isPresent()) {
                        serverConfig = serverConfig.withApiKey(apiKey.get());
                    }
                    MeteringGrpcServer server = new MeteringGrpcServer(serverConfig, clock).start();
                    closers.add(0, server);
                    restoreUsage(server, store, clock);
                    target = server.target();
                    log.info("embedded metering reference server on {}", target);
                }
                MeteringClientConfig clientConfig = MeteringClientConfig.plaintext(target).withDeadline(config.grpcDeadline());
                if (apiKey.isPresent()) {
                    clientConfig = clientConfig.withApiKey(apiKey.get());
                }
                GrpcQuotaClient client = new GrpcQuotaClient(clientConfig);
                closers.add(0, client);
                readiness.add(ReadinessCheck.of("metering", client::isReady));
                quota = Optional.of(client);
            }

            Optional<ApprovalPort> approval = Optional.empty();
            Optional<OversightClientConfig> oversightConfig = Optional.empty();
            Optional<OversightGrpcServer> embeddedOversight = Optional.empty();
            if (!config.oversightGrpcUrl().map(ServiceConfig.LOCAL::equals).orElse(false)) {
                String target;
                if (config.oversightGrpcUrl().isPresent()) {
                    target = asTarget(config.oversightGrpcUrl().get());
                } else {
                    OversightServerConfig serverConfig = OversightServerConfig.loopback(0);
                    if (apiKey.isPresent()) {
                        serverConfig = serverConfig.withApiKey(apiKey.get());
                    }
                    OversightGrpcServer server = new OversightGrpcServer(serverConfig,
                            new OversightAuthority(clock, RiskRules.policy(policy), OversightAuthority.DEFAULT_RETAINED_EVENTS))
                            .start();
                    closers.add(0, server);
                    embeddedOversight = Optional.of(server);
                    target = server.target();
                    log.info("embedded oversight reference server on {}", target);
                }
                OversightClientConfig clientConfig = OversightClientConfig.of(target);
                clientConfig = new OversightClientConfig(clientConfig.target(), false, Optional.empty(), Optional.empty(),
                        apiKey, config.grpcDeadline(), clientConfig.maxAttempts(), clientConfig.initialBackoff(),
                        clientConfig.maxBackoff(), clientConfig.retryAfter());
                GrpcApprovalClient client = new GrpcApprovalClient(clientConfig,
                        id -> store.agents().findById(id).map(Agent::userId));
                closers.add(0, client);
                readiness.add(ReadinessCheck.of("oversight", client::isReady));
                approval = Optional.of(client);
                oversightConfig = Optional.of(clientConfig);
            }
            return new RemoteServices(quota, approval, readiness, closers, oversightConfig, embeddedOversight);
        } catch (IOException | RuntimeException e) {
            closeAll(closers);
            throw new ConfigException("cannot start the gRPC metering/oversight connection: " + e.getMessage(), e);
        }
    }

    /**
     * The embedded metering server keeps its book in memory; the usage ledger in the store is
     * durable. On start the book is given each agent's executed volume of the current UTC day and
     * month from the ledger, and the reservations still held by trades awaiting approval, so a restart
     * neither hands every agent a fresh quota nor forgets what pending trades will add.
     */
    static void restoreUsage(MeteringGrpcServer server, TradingStore store, Clock clock) {
        java.time.Instant now = clock.instant();
        for (UsagePeriod period : UsagePeriod.values()) {
            UsagePeriod.Window window = period.windowAt(now);
            store.usageLedger().totalsByAgent(window.start(), window.end()).forEach((agent, totals) -> {
                var executed = totals.of(UsageType.TRADE_EXECUTED).amount();
                if (executed.isPositive()) {
                    server.book().restoreCommitted(agent, window, executed);
                }
            });
        }
        // and the reservations still held by trades awaiting approval, so their approval counts
        var page = org.tradingdemo.domain.model.PageRequest.first(org.tradingdemo.domain.model.PageRequest.MAX_LIMIT);
        while (true) {
            var agents = store.agents().list(new org.tradingdemo.domain.port.AgentRepository.AgentQuery(
                    Optional.empty(), Optional.empty(), page));
            for (Agent agent : agents.items()) {
                for (var trade : store.trades().findOpen(agent.id())) {
                    trade.quotaReservation().ifPresent(r -> server.book().restoreReservation(r, agent.id(),
                            trade.amount(), trade.id().value()));
                }
            }
            if (agents.next().isEmpty()) {
                return;
            }
            page = new org.tradingdemo.domain.model.PageRequest(agents.next(),
                    org.tradingdemo.domain.model.PageRequest.MAX_LIMIT);
        }
    }

    /** {@code host:port} → a gRPC target; full targets ({@code dns:///...}) pass through. */
    static String asTarget(String url) {
        return url.contains("://") || url.startsWith("dns:") || url.startsWith("static:") || url.startsWith("unix:")
                || url.startsWith("passthrough:") ? url : "dns:///" + url;
    }

    Optional<QuotaPort> quota() {
        return quota;
    }

    Optional<ApprovalPort> approval() {
        return approval;
    }

    List<ReadinessCheck> readiness() {
        return readiness;
    }

    /**
     * Diagnostics: the embedded oversight reference server when this process runs one (empty with
     * {@code OVERSIGHT_GRPC_URL} set). Its admin API decides as an operator at creto-oversight would;
     * reading it changes nothing here.
     */
    Optional<OversightGrpcServer> embeddedOversightServer() {
        return embeddedOversight;
    }

    /** Starts consuming decisions taken at the oversight service (nothing to do with local oversight). */
    void listenForDecisions(DecideOversightRequestUseCase decide) {
        oversightClientConfig.ifPresent(c -> {
            listener = new OversightDecisionListener(c, decide).start();
            closers.add(0, listener);
        });
    }

    /** Stops the listener, then the clients, then the embedded servers (the reverse of starting). */
    @Override
    public void close() {
        closeAll(closers);
    }

    private static void closeAll(List<AutoCloseable> closers) {
        for (AutoCloseable c : List.copyOf(closers)) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        closers.clear();
    }
}
