package org.tradingdemo.adapter.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.tradingdemo.adapter.rest.RequestBodies.DecisionRequest;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecisionResult;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase.ListOversightRequestsQuery;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;

/**
 * Human oversight: list and read approval requests, approve or reject one (first decision wins).
 *
 * <pre>
 * GET  /api/v1/oversight/requests?status=&amp;cursor=&amp;limit=  read               200 list | 400
 * GET  /api/v1/oversight/requests/{id}                   read               200 oversightRequest | 404
 * POST /api/v1/oversight/requests/{id}/approve           oversight:approve  200 {request, trade} | 404 | 403 self_approval_forbidden | 409 request_closed
 * POST /api/v1/oversight/requests/{id}/reject            oversight:approve  same, and 400 without a comment
 * </pre>
 */
public final class OversightRoutes {

    private OversightRoutes() {
    }

    public static void register(Javalin app, RestUseCases useCases, ObjectMapper mapper) {
        String requests = RestApi.PREFIX + "/oversight/requests";

        app.get(requests, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            List<FieldError> errors = new ArrayList<>();
            Integer limit = RouteInputs.limit(ctx, errors);
            ListOversightRequestsQuery query = RouteInputs.build(errors, () -> ListOversightRequestsQuery.of(
                    caller.actor(), ctx.queryParam("status"), ctx.queryParam("cursor"), limit));
            JsonSupport.respond(ctx, JsonViews.page(useCases.listOversightRequests().list(query), JsonViews::oversightRequest));
        });

        app.get(requests + "/{id}", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            OversightRequestId id = requestId(ctx);
            OversightRequest request = useCases.getOversightRequest().get(caller.actor(), id)
                    .orElseThrow(() -> ApiError.notFound("oversight request"));
            JsonSupport.respond(ctx, JsonViews.oversightRequest(request));
        });

        app.post(requests + "/{id}/approve", ctx -> decide(ctx, useCases, mapper, Decision.APPROVE));
        app.post(requests + "/{id}/reject", ctx -> decide(ctx, useCases, mapper, Decision.REJECT));
    }

    private static OversightRequestId requestId(Context ctx) {
        return RouteSupport.pathId(ctx, "id", OversightRequestId::of, "oversight request");
    }

    /** The body is optional for both; a reject without a non-blank comment fails validation on "comment". */
    private static void decide(Context ctx, RestUseCases useCases, ObjectMapper mapper, Decision decision) {
        Principal caller = RouteSupport.require(ctx, Scope.OVERSIGHT_APPROVE);
        OversightRequestId id = requestId(ctx);
        Optional<String> comment = RouteInputs.optionalBody(ctx, mapper, DecisionRequest.class)
                .map(DecisionRequest::comment);
        DecisionResult result = useCases.decideOversightRequest()
                .decide(new DecideCommand(caller.actor(), id, decision, comment));
        if (result instanceof DecideOversightRequestUseCase.Approved approved) {
            JsonSupport.respond(ctx, JsonViews.decision(approved.request(), approved.trade()));
        } else if (result instanceof DecideOversightRequestUseCase.Rejected rejected) {
            JsonSupport.respond(ctx, JsonViews.decision(rejected.request(), rejected.trade()));
        } else if (result instanceof DecideOversightRequestUseCase.NotFound) {
            throw ApiError.notFound("oversight request");
        } else if (result instanceof DecideOversightRequestUseCase.SelfDecisionForbidden) {
            throw ApiError.forbidden("self_approval_forbidden",
                    "an approver may not decide on a trade of their own agent");
        } else if (result instanceof DecideOversightRequestUseCase.AlreadyClosed closed) {
            String status = closed.request().status().wireName();
            throw new ApiError(409, "request_closed", "Conflict",
                    "the request is already " + status + (closed.request().isPending() ? " (past its expiry)" : ""),
                    List.of(), Optional.empty(), Map.of("requestStatus", status));
        } else if (result instanceof DecideOversightRequestUseCase.OversightUnavailable down) {
            throw RouteInputs.oversightUnavailable(down.retryAfter());
        } else {
            throw RouteInputs.unmapped(result);
        }
    }
}
