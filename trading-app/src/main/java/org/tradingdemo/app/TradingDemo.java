package org.tradingdemo.app;

import java.time.Clock;
import java.util.Objects;

import org.tradingdemo.app.inmemory.InMemoryEventPublisher;
import org.tradingdemo.app.inmemory.InMemoryMarketData;
import org.tradingdemo.app.inmemory.LoggingNotifier;
import org.tradingdemo.app.inmemory.TimeOrderedIdGenerator;
import org.tradingdemo.app.local.LocalApproval;
import org.tradingdemo.app.local.LocalQuota;
import org.tradingdemo.app.local.Pbkdf2PasswordHasher;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.ProvisionUsersUseCase;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CreateAgentUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.ExpireOverdueRequestsUseCase;
import org.tradingdemo.app.port.in.GetAgentUsageUseCase;
import org.tradingdemo.app.port.in.GetAgentUseCase;
import org.tradingdemo.app.port.in.GetCostReportUseCase;
import org.tradingdemo.app.port.in.GetOversightRequestUseCase;
import org.tradingdemo.app.port.in.GetPortfolioUseCase;
import org.tradingdemo.app.port.in.GetTradeUseCase;
import org.tradingdemo.app.port.in.GetUsageSummaryUseCase;
import org.tradingdemo.app.port.in.ListAgentsUseCase;
import org.tradingdemo.app.port.in.ListAlertsUseCase;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase;
import org.tradingdemo.app.port.in.ListTradesUseCase;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.app.port.in.ResumeAgentUseCase;
import org.tradingdemo.app.port.in.SubmitTradeUseCase;
import org.tradingdemo.app.port.in.SuspendAgentUseCase;
import org.tradingdemo.app.port.in.TerminateAgentUseCase;
import org.tradingdemo.app.service.AgentLifecycleService;
import org.tradingdemo.app.service.AgentLocks;
import org.tradingdemo.app.service.AgentQueryService;
import org.tradingdemo.app.service.AlertQueryService;
import org.tradingdemo.app.service.AlertService;
import org.tradingdemo.app.service.CancelTradeService;
import org.tradingdemo.app.service.CreateAgentService;
import org.tradingdemo.app.service.DecideOversightRequestService;
import org.tradingdemo.app.service.ExpireOverdueRequestsService;
import org.tradingdemo.app.service.OutboxRelay;
import org.tradingdemo.app.service.OversightQueryService;
import org.tradingdemo.app.service.SubmitTradeService;
import org.tradingdemo.app.service.TradeQueryService;
import org.tradingdemo.app.service.TradeSettlement;
import org.tradingdemo.app.service.TradingSettings;
import org.tradingdemo.app.service.UsageQueryService;
import org.tradingdemo.app.service.UserAccountService;
import org.tradingdemo.domain.policy.OversightPolicy;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.MarketDataPort;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.PasswordHasher;
import org.tradingdemo.domain.port.QuotaPort;

/**
 * The embeddable entry point: every use case, wired over a set of ports. In three lines:
 *
 * <pre>{@code
 * TradingDemo demo = TradingDemo.inMemory(Clock.systemUTC());
 * Agent agent = demo.createAgent().create(CreateAgentCommand.of(actor, "Alpha", new BigDecimal("100000"), "balanced", "medium", null));
 * SubmitTradeResult r = demo.submitTrade().submit(SubmitTradeCommand.of(actor, agent.id(), "AAPL", "buy", TEN, new BigDecimal("150"), "limit", null));
 * }</pre>
 *
 * Any port can be replaced through {@link #builder(Clock)}; the rest default to the in-memory
 * adapters, the local quota and the local approval policy, so nothing needs a network.
 */
public final class TradingDemo {

    private final TradingStore store;
    private final QuotaPort quota;
    private final EventPublisher events;
    private final TradingSettings settings;

    private final CreateAgentService createAgent;
    private final AgentQueryService agentQueries;
    private final AgentLifecycleService lifecycle;
    private final SubmitTradeService submitTrade;
    private final TradeQueryService tradeQueries;
    private final CancelTradeService cancelTrade;
    private final UsageQueryService usage;
    private final OversightQueryService oversightQueries;
    private final DecideOversightRequestService decide;
    private final ExpireOverdueRequestsService expire;
    private final AlertService alerts;
    private final AlertQueryService alertQueries;
    private final UserAccountService accounts;
    private final OutboxRelay relay;

    private TradingDemo(Builder b) {
        this.store = b.store;
        this.quota = b.quota != null ? b.quota : new LocalQuota(store.usageLedger(), b.clock);
        this.events = b.events;
        this.settings = b.settings;
        ApprovalPort approval = b.approval != null ? b.approval : new LocalApproval(b.oversightPolicy);
        AgentLocks locks = new AgentLocks();
        this.relay = new OutboxRelay(store.outbox(), store.transactions(), quota, approval, b.notifier, store.trades(),
                store.oversightRequests(), store.agents(), store.alerts(), b.ids, b.clock);
        TradeSettlement settlement = new TradeSettlement(store.transactions(), store.trades(), store.portfolios(),
                store.oversightRequests(), store.usageLedger(), store.alerts(), relay, approval, events, b.ids,
                b.clock, settings.quotaPolicy());
        this.createAgent = new CreateAgentService(store.agents(), store.portfolios(), store.usageLedger(),
                store.transactions(), events, b.ids, b.clock);
        this.agentQueries = new AgentQueryService(store.agents());
        this.lifecycle = new AgentLifecycleService(store.agents(), store.trades(), store.oversightRequests(),
                store.transactions(), settlement, events, locks, b.clock);
        this.submitTrade = new SubmitTradeService(store.agents(), store.trades(), store.portfolios(),
                store.oversightRequests(), store.usageLedger(), store.transactions(), quota, approval, b.marketData,
                events, relay, b.ids, b.clock, locks, settlement, settings);
        this.tradeQueries = new TradeQueryService(store.agents(), store.trades(), store.portfolios(), b.marketData);
        this.cancelTrade = new CancelTradeService(store.trades(), store.agents(), store.oversightRequests(), settlement,
                locks, b.clock);
        this.usage = new UsageQueryService(store.agents(), store.usageLedger(), quota, settings, b.clock);
        this.oversightQueries = new OversightQueryService(store.oversightRequests(), store.agents());
        this.decide = new DecideOversightRequestService(store.oversightRequests(), store.trades(), store.agents(),
                settlement, locks, b.clock);
        this.expire = new ExpireOverdueRequestsService(store.oversightRequests(), store.trades(), store.agents(),
                settlement, locks, b.clock);
        this.alerts = new AlertService(store.alerts(), store.agents(), store.transactions(), relay, events, b.ids,
                b.clock);
        this.alertQueries = new AlertQueryService(store.alerts(), store.agents());
        this.accounts = new UserAccountService(store.users(), b.passwordHasher, store.transactions(), b.ids, b.clock);
    }

    /** Everything in memory, local quota and policy: the whole flow with no network and no files. */
    public static TradingDemo inMemory(Clock clock) {
        return builder(clock).build();
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    public CreateAgentUseCase createAgent() { return createAgent; }

    public GetAgentUseCase getAgent() { return agentQueries; }

    public ListAgentsUseCase listAgents() { return agentQueries; }

    public SuspendAgentUseCase suspendAgent() { return lifecycle; }

    public ResumeAgentUseCase resumeAgent() { return lifecycle; }

    public TerminateAgentUseCase terminateAgent() { return lifecycle; }

    public SubmitTradeUseCase submitTrade() { return submitTrade; }

    public GetTradeUseCase getTrade() { return tradeQueries; }

    public ListTradesUseCase listTrades() { return tradeQueries; }

    public CancelTradeUseCase cancelTrade() { return cancelTrade; }

    public GetPortfolioUseCase getPortfolio() { return tradeQueries; }

    public GetAgentUsageUseCase getAgentUsage() { return usage; }

    public GetUsageSummaryUseCase getUsageSummary() { return usage; }

    public GetCostReportUseCase getCostReport() { return usage; }

    public ListOversightRequestsUseCase listOversightRequests() { return oversightQueries; }

    public GetOversightRequestUseCase getOversightRequest() { return oversightQueries; }

    public DecideOversightRequestUseCase decideOversightRequest() { return decide; }

    public ExpireOverdueRequestsUseCase expireOverdueRequests() { return expire; }

    public RaiseAlertUseCase raiseAlert() { return alerts; }

    public ListAlertsUseCase listAlerts() { return alertQueries; }

    public AcknowledgeAlertUseCase acknowledgeAlert() { return alerts; }

    public AuthenticateUseCase authenticate() { return accounts; }

    public ProvisionUsersUseCase provisionUsers() { return accounts; }

    /** The store the use cases run on (for readiness checks and tests). */
    public TradingStore store() { return store; }

    public QuotaPort quota() { return quota; }

    /** Delivers the outbox; a service calls {@link OutboxRelay#runOnce()} on a schedule to retry failures. */
    public OutboxRelay outboxRelay() { return relay; }

    public EventPublisher events() { return events; }

    public TradingSettings settings() { return settings; }

    /** Chooses the ports; whatever is not set defaults to the in-memory / local implementation. */
    public static final class Builder {
        private final Clock clock;
        private TradingStore store;
        private QuotaPort quota;
        private ApprovalPort approval;
        private OversightPolicy oversightPolicy = OversightPolicy.withDefaults();
        private EventPublisher events = new InMemoryEventPublisher();
        private NotificationPort notifier = new LoggingNotifier();
        private MarketDataPort marketData = new InMemoryMarketData();
        private IdGenerator ids;
        private TradingSettings settings = TradingSettings.defaults();
        private PasswordHasher passwordHasher;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        public Builder store(TradingStore store) { this.store = Objects.requireNonNull(store); return this; }

        /** Default: {@link LocalQuota} over the store's usage ledger. */
        public Builder quota(QuotaPort quota) { this.quota = Objects.requireNonNull(quota); return this; }

        /** Default: {@link LocalApproval} with {@link #oversightPolicy}. */
        public Builder approval(ApprovalPort approval) { this.approval = Objects.requireNonNull(approval); return this; }

        public Builder oversightPolicy(OversightPolicy policy) { this.oversightPolicy = Objects.requireNonNull(policy); return this; }

        public Builder events(EventPublisher events) { this.events = Objects.requireNonNull(events); return this; }

        public Builder notifier(NotificationPort notifier) { this.notifier = Objects.requireNonNull(notifier); return this; }

        public Builder marketData(MarketDataPort marketData) { this.marketData = Objects.requireNonNull(marketData); return this; }

        public Builder ids(IdGenerator ids) { this.ids = Objects.requireNonNull(ids); return this; }

        public Builder settings(TradingSettings settings) { this.settings = Objects.requireNonNull(settings); return this; }

        /** Default: {@link Pbkdf2PasswordHasher} with OWASP's iteration count. */
        public Builder passwordHasher(PasswordHasher hasher) { this.passwordHasher = Objects.requireNonNull(hasher); return this; }

        public TradingDemo build() {
            if (passwordHasher == null) {
                passwordHasher = new Pbkdf2PasswordHasher();
            }
            if (store == null) {
                store = TradingStore.inMemory();
            }
            if (ids == null) {
                ids = new TimeOrderedIdGenerator(clock);
            }
            return new TradingDemo(this);
        }
    }
}
