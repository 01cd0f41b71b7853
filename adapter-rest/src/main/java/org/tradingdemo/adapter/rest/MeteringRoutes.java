package org.tradingdemo.adapter.rest;

import io.javalin.Javalin;
import org.tradingdemo.app.port.in.GetCostReportUseCase.CostQuery;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.UsagePeriod;

/**
 * What an agent holds and what the enablement layer counted: portfolio, usage against the quota,
 * and costs. All reads (scope {@code read}).
 *
 * <pre>
 * GET /api/v1/agents/{id}/portfolio             200 portfolio | 404
 * GET /api/v1/agents/{id}/usage?period=         200 usage | 400 | 404
 * GET /api/v1/metering/usage?period=            200 {period, periodStart, resetAt, agents, totals, totalCost} | 400
 * GET /api/v1/metering/costs?from=&amp;to=          200 {from, to, agents, byType, total, prices} | 400
 * </pre>
 */
public final class MeteringRoutes {

    private MeteringRoutes() {
    }

    public static void register(Javalin app, RestUseCases useCases) {
        String agent = RestApi.PREFIX + "/agents/{id}";

        app.get(agent + "/portfolio", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            AgentId id = AgentRoutes.agentId(ctx);
            PortfolioValuation portfolio = useCases.getPortfolio().get(caller.actor(), id)
                    .orElseThrow(() -> ApiError.notFound("agent"));
            JsonSupport.respond(ctx, JsonViews.portfolio(portfolio));
        });

        app.get(agent + "/usage", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            AgentId id = AgentRoutes.agentId(ctx);
            UsagePeriod period = RouteInputs.period(ctx);
            UsageReport usage = useCases.getAgentUsage().usage(caller.actor(), id, period)
                    .orElseThrow(() -> ApiError.notFound("agent"));
            JsonSupport.respond(ctx, JsonViews.usage(usage));
        });

        app.get(RestApi.PREFIX + "/metering/usage", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            UsagePeriod period = RouteInputs.period(ctx);
            JsonSupport.respond(ctx, JsonViews.usageSummary(useCases.getUsageSummary().summary(caller.actor(), period)));
        });

        app.get(RestApi.PREFIX + "/metering/costs", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            CostQuery query = CostQuery.of(caller.actor(), ctx.queryParam("from"), ctx.queryParam("to"));
            JsonSupport.respond(ctx, JsonViews.costs(useCases.getCostReport().costs(query)));
        });
    }
}
