package org.tradingdemo.adapter.rest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.tradingdemo.adapter.rest.RequestBodies.RaiseAlertRequest;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase.AcknowledgeResult;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.app.port.in.ListAlertsUseCase.ListAlertsQuery;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertCommand;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertResult;
import org.tradingdemo.domain.model.AlertId;

/**
 * Alerts: list, raise, acknowledge (once).
 *
 * <pre>
 * GET  /api/v1/alerts?acknowledged=&amp;severity=&amp;cursor=&amp;limit=  read               200 list | 400
 * POST /api/v1/alerts                                          trade:submit       201 alert | 400 | 404 (agent)
 * POST /api/v1/alerts/{id}/acknowledge                         oversight:approve  200 alert | 404 | 409 already_acknowledged
 * </pre>
 */
public final class AlertRoutes {

    private AlertRoutes() {
    }

    public static void register(Javalin app, RestUseCases useCases, ObjectMapper mapper) {
        String alerts = RestApi.PREFIX + "/alerts";

        app.get(alerts, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.READ);
            List<FieldError> errors = new ArrayList<>();
            Integer limit = RouteInputs.limit(ctx, errors);
            ListAlertsQuery query = RouteInputs.build(errors, () -> ListAlertsQuery.of(caller.actor(),
                    ctx.queryParam("acknowledged"), ctx.queryParam("severity"), ctx.queryParam("cursor"), limit));
            JsonSupport.respond(ctx, JsonViews.page(useCases.listAlerts().list(query), JsonViews::alert));
        });

        app.post(alerts, ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.TRADE_SUBMIT);
            RaiseAlertRequest body = JsonSupport.read(ctx, mapper, RaiseAlertRequest.class);
            RaiseAlertCommand command = RaiseAlertCommand.of(caller.actor(), body.severity(), body.type(),
                    body.message(), body.agentId());
            RaiseAlertResult result = useCases.raiseAlert().raise(command);
            if (result instanceof RaiseAlertUseCase.Raised raised) {
                ctx.status(201);
                JsonSupport.respond(ctx, JsonViews.alert(raised.alert()));
            } else if (result instanceof RaiseAlertUseCase.AgentNotFound) {
                throw ApiError.notFound("agent");
            } else {
                throw RouteInputs.unmapped(result);
            }
        });

        app.post(alerts + "/{id}/acknowledge", ctx -> {
            Principal caller = RouteSupport.require(ctx, Scope.OVERSIGHT_APPROVE);
            AlertId id = RouteSupport.pathId(ctx, "id", AlertId::of, "alert");
            AcknowledgeResult result = useCases.acknowledgeAlert().acknowledge(caller.actor(), id);
            if (result instanceof AcknowledgeAlertUseCase.Acknowledged acknowledged) {
                JsonSupport.respond(ctx, JsonViews.alert(acknowledged.alert()));
            } else if (result instanceof AcknowledgeAlertUseCase.NotFound) {
                throw ApiError.notFound("alert");
            } else if (result instanceof AcknowledgeAlertUseCase.AlreadyAcknowledged already) {
                throw ApiError.conflict("already_acknowledged", "the alert was already acknowledged"
                        + already.alert().acknowledgedAt().map(at -> " at " + at).orElse(""));
            } else {
                throw RouteInputs.unmapped(result);
            }
        });
    }
}
