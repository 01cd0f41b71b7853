package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.RouteTestServer.AGENT_ID;
import static org.tradingdemo.adapter.rest.RouteTestServer.NOW;
import static org.tradingdemo.adapter.rest.RouteTestServer.alert;
import static org.tradingdemo.adapter.rest.RouteTestServer.assertProblem;
import static org.tradingdemo.adapter.rest.RouteTestServer.errorFields;
import static org.tradingdemo.adapter.rest.RouteTestServer.keys;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase.AcknowledgeResult;
import org.tradingdemo.app.port.in.ListAlertsUseCase.ListAlertsQuery;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertCommand;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertResult;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.UserId;

class AlertRoutesTest {

    private static final String ALERTS = "/api/v1/alerts";
    private static final List<String> ALERT_KEYS = List.of("id", "severity", "type", "message", "agentId", "createdAt",
            "acknowledgedAt", "acknowledgedBy");
    private static final String RAISE = "{\"severity\":\"warning\",\"type\":\"quota_warning\","
            + "\"message\":\"80% of the daily quota used\",\"agentId\":\"agent-1\"}";

    private RouteTestServer server;

    @BeforeEach
    void start() {
        server = new RouteTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Alert acknowledged() {
        return alert().acknowledge(UserId.of("u-approver"), NOW.plusSeconds(5));
    }

    // ---- GET /alerts ----

    @Test
    void listingIsAPageOfAlertsWithFilters() {
        when(server.useCases.listAlerts().list(any())).thenReturn(new Page<>(List.of(alert()), Optional.empty()));

        RouteTestServer.Response r = server.get(ALERTS + "?acknowledged=false&severity=warning&limit=5", "trader");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("items", "nextCursor"), keys(r.json()));
        JsonNode a = r.json().get("items").get(0);
        assertEquals(ALERT_KEYS, keys(a));
        assertEquals("warning", a.get("severity").asText());
        assertEquals("agent-1", a.get("agentId").asText());
        assertTrue(a.get("acknowledgedAt").isNull() && a.get("acknowledgedBy").isNull());
        ArgumentCaptor<ListAlertsQuery> query = ArgumentCaptor.forClass(ListAlertsQuery.class);
        verify(server.useCases.listAlerts()).list(query.capture());
        assertEquals(Optional.of(false), query.getValue().acknowledged());
        assertEquals(Optional.of(AlertSeverity.WARNING), query.getValue().severity());
        assertEquals(5, query.getValue().page().limit());
        assertEquals(UserId.of("u-trader"), query.getValue().actor().userId());
    }

    @Test
    void listingReportsEveryBadParameterAtOnce() {
        JsonNode p = assertProblem(server.get(ALERTS + "?acknowledged=maybe&severity=loud&cursor=%3F&limit=999",
                "viewer"), 400, "validation_failed");
        assertEquals(Set.of("acknowledged", "severity", "cursor", "limit"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.listAlerts());
    }

    @Test
    void listingNeedsTheReadScope() {
        assertProblem(server.get(ALERTS, "viewer", "X-Test-Scopes", ""), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.listAlerts());
    }

    // ---- POST /alerts ----

    static Stream<Arguments> raiseOutcomes() {
        return Stream.of(
                Arguments.of(new RaiseAlertUseCase.Raised(alert()), 201, null),
                Arguments.of(new RaiseAlertUseCase.AgentNotFound(), 404, "not_found"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("raiseOutcomes")
    void everyRaiseResultHasItsStatus(RaiseAlertResult result, int status, String code) {
        when(server.useCases.raiseAlert().raise(any())).thenReturn(result);

        RouteTestServer.Response r = server.post(ALERTS, "trader", RAISE);

        if (code == null) {
            assertEquals(status, r.status(), r.body());
            assertEquals(ALERT_KEYS, keys(r.json()));
            assertEquals("alert-1", r.json().get("id").asText());
            assertEquals(NOW.toString(), r.json().get("createdAt").asText());
        } else {
            JsonNode p = assertProblem(r, status, code);
            assertEquals("agent not found", p.get("detail").asText());
        }
    }

    @Test
    void theRaiseTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = raiseOutcomes().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(RaiseAlertResult.class.getPermittedSubclasses()), mapped);
    }

    @Test
    void theRaiseCommandCarriesTheBody() {
        when(server.useCases.raiseAlert().raise(any())).thenReturn(new RaiseAlertUseCase.Raised(alert()));
        server.post(ALERTS, "trader", RAISE);
        ArgumentCaptor<RaiseAlertCommand> command = ArgumentCaptor.forClass(RaiseAlertCommand.class);
        verify(server.useCases.raiseAlert()).raise(command.capture());
        assertEquals(AlertSeverity.WARNING, command.getValue().severity());
        assertEquals("quota_warning", command.getValue().type());
        assertEquals("80% of the daily quota used", command.getValue().message());
        assertEquals(Optional.of(AGENT_ID), command.getValue().agentId());
    }

    @Test
    void raisingReportsEveryInvalidFieldAtOnce() {
        JsonNode p = assertProblem(server.post(ALERTS, "trader",
                "{\"severity\":\"apocalyptic\",\"type\":\"Not A Type\",\"agentId\":\"bad id\"}"), 400,
                "validation_failed");
        assertEquals(Set.of("severity", "type", "message", "agentId"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.raiseAlert());
    }

    @Test
    void raisingRefusesBadBodies() {
        JsonNode unknown = assertProblem(server.post(ALERTS, "trader",
                "{\"severity\":\"info\",\"type\":\"x\",\"message\":\"m\",\"acknowledged\":true}"), 400, "validation_failed");
        assertEquals(List.of("acknowledged"), errorFields(unknown));
        JsonNode wrongType = assertProblem(server.post(ALERTS, "trader",
                "{\"severity\":1,\"type\":\"x\",\"message\":[\"m\"]}"), 400, "validation_failed");
        assertEquals(Set.of("severity", "message"), Set.copyOf(errorFields(wrongType)));
        assertProblem(server.post(ALERTS, "trader", "{"), 400, "malformed_json");
        assertProblem(server.postRaw(ALERTS, "trader", "text/xml", "<alert/>"), 415, "unsupported_media_type");
        verifyNoInteractions(server.useCases.raiseAlert());
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "approver"})
    void raisingNeedsTheTradeSubmitScope(String user) {
        assertProblem(server.post(ALERTS, user, RAISE), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.raiseAlert());
    }

    // ---- POST /alerts/{id}/acknowledge ----

    static Stream<Arguments> acknowledgeOutcomes() {
        return Stream.of(
                Arguments.of(new AcknowledgeAlertUseCase.Acknowledged(acknowledged()), 200, null),
                Arguments.of(new AcknowledgeAlertUseCase.NotFound(), 404, "not_found"),
                Arguments.of(new AcknowledgeAlertUseCase.AlreadyAcknowledged(acknowledged()), 409,
                        "already_acknowledged"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("acknowledgeOutcomes")
    void everyAcknowledgeResultHasItsStatus(AcknowledgeResult result, int status, String code) {
        when(server.useCases.acknowledgeAlert().acknowledge(any(), eq(AlertId.of("alert-1")))).thenReturn(result);

        RouteTestServer.Response r = server.post(ALERTS + "/alert-1/acknowledge", "approver", null);

        if (code == null) {
            assertEquals(status, r.status(), r.body());
            assertEquals(ALERT_KEYS, keys(r.json()));
            assertEquals(NOW.plusSeconds(5).toString(), r.json().get("acknowledgedAt").asText());
            assertEquals("u-approver", r.json().get("acknowledgedBy").asText());
        } else {
            assertProblem(r, status, code);
        }
    }

    @Test
    void theAcknowledgeTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = acknowledgeOutcomes().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(AcknowledgeResult.class.getPermittedSubclasses()), mapped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"trader", "viewer"})
    void acknowledgingNeedsTheOversightApproveScope(String user) {
        assertProblem(server.post(ALERTS + "/alert-1/acknowledge", user, null), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.acknowledgeAlert());
    }

    @Test
    void aMalformedAlertIdIs404() {
        assertProblem(server.post(ALERTS + "/bad$id/acknowledge", "approver", null), 404, "not_found");
        verifyNoInteractions(server.useCases.acknowledgeAlert());
    }
}
