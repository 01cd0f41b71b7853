package org.tradingdemo.adapter.rest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.tradingdemo.adapter.rest.RequestBodies.CancelTradeRequest;
import org.tradingdemo.adapter.rest.RequestBodies.SubmitTradeRequest;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase.CancelTradeCommand;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ListTradesUseCase.ListTradesQuery;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.QuotaCheck;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;

/**
 * Trades: submit (the flow of ARCHITECTURE.md §4), list an agent's trades, read one, cancel one.
 *
 * <pre>
 * POST /api/v1/agents/{id}/trades   trade:submit  201 trade | 202 {trade, oversightRequest} | 200 trade (replay of a closed one)
 * GET  /api/v1/agents/{id}/trades   read          200 list of trade | 400 | 404
 * GET  /api/v1/trades/{id}          read          200 trade | 404
 * POST /api/v1/trades/{id}/cancel   trade:submit  200 trade | 404 | 403 not_owner | 409 trade_not_open
 * </pre>
 */
public final class TradeRoutes {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private TradeRoutes() {
    }

    /** @param clock the time {@code Retry-After} of a refused quota counts from */
    public static void register(Javalin app, RestUseCases useCases, ObjectMapper mapper, RateLimits limits,
                                ApiMetrics metrics, Clock clock) {
        String agentTrades = RestApi.PREFIX + "/agents/{id}/trades";
        String trades = RestApi.PREFIX + "/trades";

        app.post(agentTrades, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.TRADE_SUBMIT);
            AgentId agentId = AgentRoutes.agentId(ctx);
            SubmitTradeRequest body = JsonSupport.read(ctx, mapper, SubmitTradeRequest.class);
            List<FieldError> errors = new ArrayList<>();
            String clientOrderId = clientOrderId(body.clientOrderId(), ctx.header(IDEMPOTENCY_KEY), errors);
            SubmitTradeCommand command = RouteInputs.build(errors, () -> SubmitTradeCommand.of(caller.actor(), agentId,
                    body.symbol(), body.side(), body.quantity(), body.price(), body.type(), clientOrderId));
            // an agent the caller may not see is a 404 before its trade bucket is touched, so nobody can
            // drain another user's per-agent rate limit by posting to their agent's id
            if (useCases.getAgent().get(caller.actor(), agentId).isEmpty()) {
                throw ApiError.notFound("agent");
            }
            limits.checkAgentTrade(ctx, agentId);
            SubmitTradeResult result = useCases.submitTrade().submit(command);
            metrics.tradeOutcome(outcome(result));
            respond(ctx, result, clock);
        });

        app.get(agentTrades, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            AgentId agentId = AgentRoutes.agentId(ctx);
            List<FieldError> errors = new ArrayList<>();
            Integer limit = RouteInputs.limit(ctx, errors);
            ListTradesQuery query = RouteInputs.build(errors, () -> ListTradesQuery.of(caller.actor(), agentId,
                    ctx.queryParam("status"), ctx.queryParam("symbol"), ctx.queryParam("from"), ctx.queryParam("to"),
                    ctx.queryParam("cursor"), limit));
            Page<Trade> page = useCases.listTrades().list(query).orElseThrow(() -> ApiError.notFound("agent"));
            JsonSupport.respond(ctx, JsonViews.page(page, JsonViews::trade));
        });

        app.get(trades + "/{id}", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            TradeId id = tradeId(ctx);
            Trade trade = useCases.getTrade().get(caller.actor(), id).orElseThrow(() -> ApiError.notFound("trade"));
            JsonSupport.respond(ctx, JsonViews.trade(trade));
        });

        app.post(trades + "/{id}/cancel", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.TRADE_SUBMIT);
            TradeId id = tradeId(ctx);
            Optional<String> reason = RouteInputs.optionalBody(ctx, mapper, CancelTradeRequest.class)
                    .map(CancelTradeRequest::reason);
            CancelTradeUseCase.CancelTradeResult result = useCases.cancelTrade()
                    .cancel(new CancelTradeCommand(caller.actor(), id, reason));
            respond(ctx, result);
        });
    }

    private static TradeId tradeId(Context ctx) {
        return RouteSupport.pathId(ctx, "id", TradeId::of, "trade");
    }

    /**
     * The order's idempotency key: the body's {@code clientOrderId}, else the {@code Idempotency-Key}
     * header. Both given and different is an error, so is a header that could not be a key.
     */
    static String clientOrderId(String fromBody, String header, List<FieldError> errors) {
        if (header == null || header.isBlank()) {
            return fromBody;
        }
        String key = header.strip();
        try {
            ClientOrderId.of(key);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(IDEMPOTENCY_KEY,
                    IDEMPOTENCY_KEY + " must be 1 to 64 letters, digits or . _ : -"));
            return fromBody;
        }
        if (fromBody != null && !fromBody.isBlank() && !fromBody.equals(key)) {
            errors.add(new FieldError(IDEMPOTENCY_KEY,
                    IDEMPOTENCY_KEY + " must equal the body's clientOrderId when both are given"));
            return fromBody;
        }
        return fromBody != null && !fromBody.isBlank() ? fromBody : key;
    }

    /** The outcome label of the trade-outcome metric: one snake_case name per result variant. */
    static String outcome(SubmitTradeResult result) {
        if (result instanceof SubmitTradeResult.Executed executed) {
            return executed.replayed() ? "replayed" : "executed";
        } else if (result instanceof SubmitTradeResult.PendingApproval pending) {
            return pending.replayed() ? "replayed" : "pending_approval";
        } else if (result instanceof SubmitTradeResult.AlreadyProcessed) {
            return "already_processed";
        } else if (result instanceof SubmitTradeResult.IdempotencyConflict) {
            return "idempotency_conflict";
        } else if (result instanceof SubmitTradeResult.AgentNotFound) {
            return "agent_not_found";
        } else if (result instanceof SubmitTradeResult.AgentNotActive) {
            return "agent_not_active";
        } else if (result instanceof SubmitTradeResult.NoMarketPrice) {
            return "no_market_price";
        } else if (result instanceof SubmitTradeResult.InsufficientFunds) {
            return "insufficient_funds";
        } else if (result instanceof SubmitTradeResult.InsufficientPosition) {
            return "insufficient_position";
        } else if (result instanceof SubmitTradeResult.QuotaExceeded) {
            return "quota_exceeded";
        } else if (result instanceof SubmitTradeResult.DependencyUnavailable down) {
            return unavailableCode(down.dependency());
        }
        throw RouteInputs.unmapped(result);
    }

    private static void respond(Context ctx, SubmitTradeResult result, Clock clock) {
        if (result instanceof SubmitTradeResult.Executed executed) {
            replayed(ctx, executed.replayed());
            created(ctx, 201, executed.trade());
            JsonSupport.respond(ctx, JsonViews.trade(executed.trade()));
        } else if (result instanceof SubmitTradeResult.PendingApproval pending) {
            replayed(ctx, pending.replayed());
            created(ctx, 202, pending.trade());
            JsonSupport.respond(ctx, JsonViews.pendingTrade(pending.trade(), pending.request()));
        } else if (result instanceof SubmitTradeResult.AlreadyProcessed done) {
            replayed(ctx, true);
            JsonSupport.respond(ctx, JsonViews.trade(done.trade()));
        } else if (result instanceof SubmitTradeResult.IdempotencyConflict conflict) {
            throw problem(409, "idempotency_conflict", "Conflict",
                    "this clientOrderId was already used by this agent for a different order",
                    Map.of("tradeId", conflict.original().id().value()));
        } else if (result instanceof SubmitTradeResult.AgentNotFound) {
            throw ApiError.notFound("agent");
        } else if (result instanceof SubmitTradeResult.AgentNotActive inactive) {
            throw problem(409, "agent_not_active", "Conflict",
                    "the agent is " + inactive.status().wireName() + " and may not trade",
                    Map.of("agentStatus", inactive.status().wireName()));
        } else if (result instanceof SubmitTradeResult.NoMarketPrice noPrice) {
            throw problem(422, "no_market_price", "Unprocessable Content",
                    "there is no market price for " + noPrice.symbol() + "; send a limit order with a price",
                    Map.of("symbol", noPrice.symbol()));
        } else if (result instanceof SubmitTradeResult.InsufficientFunds funds) {
            throw problem(422, "insufficient_funds", "Unprocessable Content",
                    "the trade needs " + JsonSupport.plain(funds.required()).toPlainString() + " but only "
                            + JsonSupport.plain(funds.available()).toPlainString() + " is available",
                    Map.of("required", JsonSupport.plain(funds.required()),
                            "available", JsonSupport.plain(funds.available())));
        } else if (result instanceof SubmitTradeResult.InsufficientPosition position) {
            throw problem(422, "insufficient_position", "Unprocessable Content",
                    "the trade sells " + JsonSupport.plain(position.requested()).toPlainString() + " "
                            + position.symbol() + " but only " + JsonSupport.plain(position.available()).toPlainString()
                            + " is available",
                    Map.of("symbol", position.symbol(), "requested", JsonSupport.plain(position.requested()),
                            "available", JsonSupport.plain(position.available())));
        } else if (result instanceof SubmitTradeResult.QuotaExceeded quota) {
            throw quotaExceeded(quota.check(), clock);
        } else if (result instanceof SubmitTradeResult.DependencyUnavailable down) {
            String code = unavailableCode(down.dependency());
            Duration retry = down.retryAfter() == null ? Duration.ofSeconds(5) : down.retryAfter();
            throw new ApiError(503, code, "Service Unavailable",
                    code.replace('_', ' ') + ": nothing was created; try again later",
                    List.of(), Optional.of(retry), Map.of());
        } else {
            throw RouteInputs.unmapped(result);
        }
    }

    private static void respond(Context ctx, CancelTradeUseCase.CancelTradeResult result) {
        if (result instanceof CancelTradeUseCase.Cancelled cancelled) {
            JsonSupport.respond(ctx, JsonViews.trade(cancelled.trade()));
        } else if (result instanceof CancelTradeUseCase.NotFound) {
            throw ApiError.notFound("trade");
        } else if (result instanceof CancelTradeUseCase.NotOwner) {
            throw ApiError.forbidden("not_owner", "only the owner of the agent may cancel its trades");
        } else if (result instanceof CancelTradeUseCase.Conflict conflict) {
            throw problem(409, "trade_not_open", "Conflict",
                    "the trade is " + conflict.status().wireName() + " and can no longer be cancelled",
                    Map.of("tradeStatus", conflict.status().wireName()));
        } else if (result instanceof CancelTradeUseCase.OversightUnavailable down) {
            throw RouteInputs.oversightUnavailable(down.retryAfter());
        } else {
            throw RouteInputs.unmapped(result);
        }
    }

    /** 429 with {@code Retry-After} counting down to the window's reset, and the quota numbers. */
    private static ApiError quotaExceeded(QuotaCheck check, Clock clock) {
        Duration untilReset = Duration.between(clock.instant(), check.resetAt());
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("resetAt", JsonViews.instant(check.resetAt()));
        members.put("used", JsonViews.money(check.used()));
        members.put("limit", JsonViews.money(check.limit()));
        members.put("remaining", JsonViews.money(check.remaining()));
        members.put("period", check.period().wireName());
        return new ApiError(429, "quota_exceeded", "Too Many Requests",
                "the agent's " + check.period().wireName() + " trading-volume quota would be exceeded; it resets at "
                        + check.resetAt(),
                List.of(), Optional.of(untilReset.isNegative() ? Duration.ZERO : untilReset), members);
    }

    private static String unavailableCode(String dependency) {
        return switch (dependency == null ? "" : dependency) {
            case "metering" -> "metering_unavailable";
            case "oversight" -> "oversight_unavailable";
            default -> "dependency_unavailable";
        };
    }

    private static void replayed(Context ctx, boolean replayed) {
        if (replayed) {
            ctx.header(REPLAYED, "true");
        }
    }

    private static void created(Context ctx, int status, Trade trade) {
        ctx.status(status);
        ctx.header("Location", RestApi.PREFIX + "/trades/" + trade.id().value());
    }

    private static ApiError problem(int status, String code, String title, String detail, Map<String, Object> members) {
        return new ApiError(status, code, title, detail, List.of(), Optional.empty(), members);
    }
}
