package org.tradingdemo.adapter.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.tradingdemo.adapter.rest.RequestBodies.CreateAgentRequest;
import org.tradingdemo.app.port.in.AgentCommand;
import org.tradingdemo.app.port.in.AgentStatusResult;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ListAgentsUseCase.ListAgentsQuery;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;

/**
 * Agents: list, create, read, and the lifecycle moves suspend / resume / terminate.
 *
 * <pre>
 * GET  /api/v1/agents                   read             200 list of agent
 * POST /api/v1/agents                   agent:create     201 agent + Location
 * GET  /api/v1/agents/{id}              read             200 agent | 404 not_found
 * POST /api/v1/agents/{id}/suspend      agent:create     200 agent | 404 | 409 invalid_state_transition
 * POST /api/v1/agents/{id}/resume       agent:create     200 agent | 404 | 409 invalid_state_transition
 * POST /api/v1/agents/{id}/terminate    agent:terminate  200 agent | 404 | 409 invalid_state_transition
 * </pre>
 */
public final class AgentRoutes {

    private AgentRoutes() {
    }

    public static void register(Javalin app, RestUseCases useCases, ObjectMapper mapper) {
        String agents = RestApi.PREFIX + "/agents";

        app.get(agents, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            List<FieldError> errors = new ArrayList<>();
            Integer limit = RouteInputs.limit(ctx, errors);
            ListAgentsQuery query = RouteInputs.build(errors, () -> ListAgentsQuery.of(caller.actor(),
                    ctx.queryParam("status"), ctx.queryParam("cursor"), limit));
            JsonSupport.respond(ctx, JsonViews.page(useCases.listAgents().list(query), JsonViews::agent));
        });

        app.post(agents, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.AGENT_CREATE);
            CreateAgentRequest body = JsonSupport.read(ctx, mapper, CreateAgentRequest.class);
            CreateAgentCommand command = CreateAgentCommand.of(caller.actor(), body.name(), body.budget(),
                    body.strategy(), body.riskTolerance(), body.maxPositionSize());
            Agent agent = useCases.createAgent().create(command);
            ctx.status(201);
            ctx.header("Location", agents + "/" + agent.id().value());
            JsonSupport.respond(ctx, JsonViews.agent(agent));
        });

        app.get(agents + "/{id}", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            AgentId id = agentId(ctx);
            Agent agent = useCases.getAgent().get(caller.actor(), id).orElseThrow(() -> ApiError.notFound("agent"));
            JsonSupport.respond(ctx, JsonViews.agent(agent));
        });

        app.post(agents + "/{id}/suspend", ctx -> move(ctx, Scope.AGENT_CREATE, useCases.suspendAgent()::suspend));
        app.post(agents + "/{id}/resume", ctx -> move(ctx, Scope.AGENT_CREATE, useCases.resumeAgent()::resume));
        app.post(agents + "/{id}/terminate",
                ctx -> move(ctx, Scope.AGENT_TERMINATE, useCases.terminateAgent()::terminate));
    }

    static AgentId agentId(Context ctx) {
        return RouteSupport.pathId(ctx, "id", AgentId::of, "agent");
    }

    /** A lifecycle move; these routes take no body (one sent anyway is ignored). */
    private static void move(Context ctx, Scope scope, Function<AgentCommand, AgentStatusResult> useCase) {
        Principal caller = RouteSupport.require(ctx, scope);
        AgentId id = agentId(ctx);
        AgentStatusResult result = useCase.apply(new AgentCommand(caller.actor(), id));
        if (result instanceof AgentStatusResult.Changed changed) {
            JsonSupport.respond(ctx, JsonViews.agent(changed.agent()));
        } else if (result instanceof AgentStatusResult.NotFound) {
            throw ApiError.notFound("agent");
        } else if (result instanceof AgentStatusResult.Conflict conflict) {
            throw new ApiError(409, "invalid_state_transition", "Conflict", conflict.message(), List.of(),
                    Optional.empty(), Map.of("agentStatus", conflict.current().wireName()));
        } else if (result instanceof AgentStatusResult.OversightUnavailable down) {
            throw RouteInputs.oversightUnavailable(down.retryAfter());
        } else {
            throw RouteInputs.unmapped(result);
        }
    }
}
