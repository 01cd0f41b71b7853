package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.RouteTestServer.NOW;
import static org.tradingdemo.adapter.rest.RouteTestServer.assertProblem;
import static org.tradingdemo.adapter.rest.RouteTestServer.closedRequest;
import static org.tradingdemo.adapter.rest.RouteTestServer.errorFields;
import static org.tradingdemo.adapter.rest.RouteTestServer.keys;
import static org.tradingdemo.adapter.rest.RouteTestServer.pendingRequest;
import static org.tradingdemo.adapter.rest.RouteTestServer.pendingTrade;
import static org.tradingdemo.adapter.rest.RouteTestServer.portfolioAfterBuy;

import java.time.Duration;
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
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.Decision;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecisionResult;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase.ListOversightRequestsQuery;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.Trade;

class OversightRoutesTest {

    private static final String REQUESTS = "/api/v1/oversight/requests";
    private static final String APPROVE = REQUESTS + "/req-1/approve";
    private static final String REJECT = REQUESTS + "/req-1/reject";
    private static final List<String> REQUEST_KEYS = List.of("id", "tradeId", "agentId", "reason", "riskLevel",
            "status", "createdAt", "expiresAt", "processedAt", "processedBy", "comment");

    private RouteTestServer server;

    @BeforeEach
    void start() {
        server = new RouteTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void decisionAnswers(DecisionResult result) {
        when(server.useCases.decideOversightRequest().decide(any())).thenReturn(result);
    }

    private List<DecideCommand> decided(int times) {
        ArgumentCaptor<DecideCommand> command = ArgumentCaptor.forClass(DecideCommand.class);
        verify(server.useCases.decideOversightRequest(), times(times)).decide(command.capture());
        return command.getAllValues();
    }

    // ---- list and read ----

    @Test
    void listingIsAPageOfRequestsFilteredByStatus() {
        when(server.useCases.listOversightRequests().list(any()))
                .thenReturn(new Page<>(List.of(pendingRequest()), Optional.empty()));

        RouteTestServer.Response r = server.get(REQUESTS + "?status=pending&limit=10", "approver");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("items", "nextCursor"), keys(r.json()));
        assertEquals(REQUEST_KEYS, keys(r.json().get("items").get(0)));
        assertTrue(r.json().get("nextCursor").isNull());
        ArgumentCaptor<ListOversightRequestsQuery> query = ArgumentCaptor.forClass(ListOversightRequestsQuery.class);
        verify(server.useCases.listOversightRequests()).list(query.capture());
        assertEquals(Optional.of(OversightStatus.PENDING), query.getValue().status());
        assertEquals(10, query.getValue().page().limit());
    }

    @Test
    void listingReportsEveryBadParameterAtOnce() {
        JsonNode p = assertProblem(server.get(REQUESTS + "?status=maybe&cursor=%25%25&limit=1.5", "approver"), 400,
                "validation_failed");
        assertEquals(Set.of("status", "cursor", "limit"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.listOversightRequests());
    }

    @Test
    void readingOneRequest() {
        when(server.useCases.getOversightRequest().get(any(), eq(OversightRequestId.of("req-1"))))
                .thenReturn(Optional.of(closedRequest(OversightStatus.REJECTED, "too large")));

        RouteTestServer.Response r = server.get(REQUESTS + "/req-1", "viewer");

        assertEquals(200, r.status(), r.body());
        JsonNode q = r.json();
        assertEquals(REQUEST_KEYS, keys(q));
        assertEquals("rejected", q.get("status").asText());
        assertEquals("u-approver", q.get("processedBy").asText());
        assertEquals(NOW.plusSeconds(60).toString(), q.get("processedAt").asText());
        assertEquals("too large", q.get("comment").asText());

        when(server.useCases.getOversightRequest().get(any(), eq(OversightRequestId.of("req-9"))))
                .thenReturn(Optional.empty());
        assertProblem(server.get(REQUESTS + "/req-9", "viewer"), 404, "not_found");
        assertProblem(server.get(REQUESTS + "/not%20an%20id", "viewer"), 404, "not_found");
    }

    @Test
    void readingNeedsTheReadScope() {
        assertProblem(server.get(REQUESTS, "approver", "X-Test-Scopes", "oversight:approve"), 403,
                "insufficient_scope");
        assertProblem(server.get(REQUESTS + "/req-1", "approver", "X-Test-Scopes", "oversight:approve"), 403,
                "insufficient_scope");
        verifyNoInteractions(server.useCases.listOversightRequests(), server.useCases.getOversightRequest());
    }

    // ---- approve / reject: every result variant ----

    static Stream<Arguments> decisionOutcomes() {
        Trade executed = pendingTrade().execute(NOW.plusSeconds(60));
        Trade rejected = pendingTrade().reject("too large", NOW.plusSeconds(60));
        return Stream.of(
                Arguments.of(new DecideOversightRequestUseCase.Approved(closedRequest(OversightStatus.APPROVED, null),
                        executed, portfolioAfterBuy()), 200, null),
                Arguments.of(new DecideOversightRequestUseCase.Rejected(
                        closedRequest(OversightStatus.REJECTED, "too large"), rejected), 200, null),
                Arguments.of(new DecideOversightRequestUseCase.NotFound(), 404, "not_found"),
                Arguments.of(new DecideOversightRequestUseCase.SelfDecisionForbidden(), 403, "self_approval_forbidden"),
                Arguments.of(new DecideOversightRequestUseCase.AlreadyClosed(closedRequest(OversightStatus.EXPIRED, null)),
                        409, "request_closed"),
                Arguments.of(new DecideOversightRequestUseCase.OversightUnavailable(Duration.ofSeconds(4)), 503,
                        "oversight_unavailable"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("decisionOutcomes")
    void everyDecisionResultHasItsStatus(DecisionResult result, int status, String code) {
        decisionAnswers(result);

        for (String path : List.of(APPROVE, REJECT)) {
            RouteTestServer.Response r = server.post(path, "approver", "{\"comment\":\"checked\"}");
            if (code == null) {
                assertEquals(status, r.status(), r.body());
                assertEquals(List.of("request", "trade"), keys(r.json()));
                assertEquals(REQUEST_KEYS, keys(r.json().get("request")));
                assertEquals("trade-2", r.json().get("trade").get("id").asText());
            } else {
                JsonNode p = assertProblem(r, status, code);
                if (status == 409) {
                    assertEquals("expired", p.get("requestStatus").asText());
                }
                if (status == 503) {
                    assertEquals("4", r.header("Retry-After"));
                }
            }
        }
    }

    @Test
    void theDecisionTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = decisionOutcomes().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(DecisionResult.class.getPermittedSubclasses()), mapped);
    }

    @Test
    void anApprovalShowsTheExecutedTrade() {
        decisionAnswers(new DecideOversightRequestUseCase.Approved(closedRequest(OversightStatus.APPROVED, null),
                pendingTrade().execute(NOW.plusSeconds(60)), portfolioAfterBuy()));

        RouteTestServer.Response r = server.post(APPROVE, "approver", null);

        assertEquals(200, r.status(), r.body());
        assertEquals("approved", r.json().get("request").get("status").asText());
        assertTrue(r.json().get("request").get("comment").isNull());
        assertEquals("executed", r.json().get("trade").get("status").asText());
        assertTrue(r.body().contains("\"amount\":1500,"), r.body());
    }

    @Test
    void approveTakesNoBodyAnEmptyBodyOrAComment() {
        decisionAnswers(new DecideOversightRequestUseCase.NotFound());

        server.post(APPROVE, "approver", null);
        server.post(APPROVE, "approver", "");
        server.post(APPROVE, "approver", "{}");
        server.post(APPROVE, "approver", "{\"comment\":\" looks fine \"}");

        List<DecideCommand> commands = decided(4);
        commands.forEach(c -> assertEquals(Decision.APPROVE, c.decision()));
        commands.forEach(c -> assertEquals(OversightRequestId.of("req-1"), c.requestId()));
        commands.forEach(c -> assertEquals("u-approver", c.actor().userId().value()));
        assertEquals(Optional.empty(), commands.get(0).comment());
        assertEquals(Optional.empty(), commands.get(1).comment());
        assertEquals(Optional.empty(), commands.get(2).comment());
        assertEquals(Optional.of("looks fine"), commands.get(3).comment());
    }

    @Test
    void rejectPassesTheComment() {
        decisionAnswers(new DecideOversightRequestUseCase.NotFound());
        server.post(REJECT, "approver", "{\"comment\":\"too large for this agent\"}");
        DecideCommand c = decided(1).get(0);
        assertEquals(Decision.REJECT, c.decision());
        assertEquals(Optional.of("too large for this agent"), c.comment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<none>", "", "{}", "{\"comment\":null}", "{\"comment\":\"   \"}"})
    void rejectWithoutACommentIs400OnTheCommentField(String body) {
        RouteTestServer.Response r = server.post(REJECT, "approver", body.equals("<none>") ? null : body);

        JsonNode p = assertProblem(r, 400, "validation_failed");
        assertEquals(List.of("comment"), errorFields(p));
        verifyNoInteractions(server.useCases.decideOversightRequest());
    }

    @Test
    void aDecisionBodyThatIsPresentMustBeValidJson() {
        for (String path : List.of(APPROVE, REJECT)) {
            assertProblem(server.post(path, "approver", "{\"comment\":"), 400, "malformed_json");
            assertProblem(server.postRaw(path, "approver", "text/plain", "ok"), 415, "unsupported_media_type");
            JsonNode wrongType = assertProblem(server.post(path, "approver", "{\"comment\":42}"), 400,
                    "validation_failed");
            assertEquals(List.of("comment"), errorFields(wrongType));
            JsonNode unknown = assertProblem(server.post(path, "approver", "{\"comment\":\"x\",\"decision\":\"approve\"}"),
                    400, "validation_failed");
            assertEquals(List.of("decision"), errorFields(unknown));
            JsonNode tooLong = assertProblem(server.post(path, "approver",
                    "{\"comment\":\"" + "x".repeat(1001) + "\"}"), 400, "validation_failed");
            assertEquals(List.of("comment"), errorFields(tooLong));
        }
        verifyNoInteractions(server.useCases.decideOversightRequest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"trader", "viewer"})
    void decidingNeedsTheOversightApproveScope(String user) {
        JsonNode p = assertProblem(server.post(APPROVE, user, null), 403, "insufficient_scope");
        assertTrue(p.get("detail").asText().contains("oversight:approve"));
        assertProblem(server.post(REJECT, user, "{\"comment\":\"no\"}"), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.decideOversightRequest());
    }

    @Test
    void aMalformedRequestIdIs404() {
        assertProblem(server.post(REQUESTS + "/bad$id/approve", "approver", null), 404, "not_found");
        verifyNoInteractions(server.useCases.decideOversightRequest());
    }
}
