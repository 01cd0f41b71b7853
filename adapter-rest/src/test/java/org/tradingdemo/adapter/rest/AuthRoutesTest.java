package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.AuthTestServer.header;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;

class AuthRoutesTest {

    private static final String LOGIN = AuthRoutes.LOGIN_PATH;
    private static final User ALICE = AuthTestServer.user("u-alice", "alice", Role.TRADER);

    private final AuthenticateUseCase authenticate = mock(AuthenticateUseCase.class);
    private final List<String> passwordsSeen = new ArrayList<>();
    private AuthTestServer server;

    @BeforeEach
    void start() {
        when(authenticate.authenticate(anyString(), any())).thenAnswer(call -> {
            String username = call.getArgument(0);
            char[] password = call.getArgument(1);
            passwordsSeen.add(new String(password));
            return username.equals("alice") && new String(password).equals("correct horse")
                    ? Optional.of(ALICE) : Optional.empty();
        });
        server = AuthTestServer.builder().authenticate(authenticate).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> login(String username, String password) {
        return server.post(LOGIN, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    @Test
    void rightCredentialsGiveAToken() {
        HttpResponse<String> response = login("alice", "correct horse");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", header(response, "Cache-Control"));
        JsonNode body = server.json(response);
        assertEquals("Bearer", body.get("tokenType").asText());
        assertEquals(AuthTestServer.T0.plus(Duration.ofHours(8)), Instant.parse(body.get("expiresAt").asText()));
        JsonNode user = body.get("user");
        assertEquals("u-alice", user.get("id").asText());
        assertEquals("alice", user.get("username").asText());
        assertEquals("trader", user.get("role").asText());
        List<String> scopes = new ArrayList<>();
        user.get("scopes").forEach(s -> scopes.add(s.asText()));
        assertEquals(List.of("agent:create", "agent:terminate", "read", "trade:submit"), scopes);
        assertFalse(response.body().contains("correct horse"));

        Principal principal = server.tokens.verify(body.get("token").asText()).orElseThrow();
        assertEquals("u-alice", principal.userId().value());
        assertEquals(200, server.getWithToken(RestApi.PREFIX + "/test/read", body.get("token").asText()).statusCode());
        assertEquals(List.of("correct horse"), passwordsSeen);
    }

    @Test
    void thePasswordArrayIsWipedAfterUse() {
        login("alice", "correct horse");
        login("bob", "whatever");
        ArgumentCaptor<char[]> passwords = ArgumentCaptor.forClass(char[].class);
        verify(authenticate, times(2)).authenticate(anyString(), passwords.capture());
        for (char[] password : passwords.getAllValues()) {
            assertArrayEquals(new char[password.length], password);
        }
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        HttpResponse<String> wrongPassword = login("alice", "wrong");
        HttpResponse<String> unknownUser = login("mallory", "correct horse");

        for (HttpResponse<String> response : List.of(wrongPassword, unknownUser)) {
            assertEquals(401, response.statusCode());
            assertTrue(header(response, "Content-Type").startsWith(ProblemJson.CONTENT_TYPE));
            JsonNode body = server.json(response);
            assertEquals("invalid_credentials", body.get("code").asText());
            assertFalse(response.body().contains("correct horse"));
        }
        assertEquals(server.json(wrongPassword).get("detail"), server.json(unknownUser).get("detail"));
        assertEquals(server.json(wrongPassword).get("title"), server.json(unknownUser).get("title"));
    }

    @Test
    void missingFieldsAreReportedTogether() {
        HttpResponse<String> response = server.post(LOGIN, "{}");
        assertEquals(400, response.statusCode());
        JsonNode body = server.json(response);
        assertEquals("validation_failed", body.get("code").asText());
        assertEquals(Set.of("username", "password"), fields(body));
        verify(authenticate, never()).authenticate(anyString(), any());
    }

    @Test
    void blankAndOverlongFieldsAreRefused() {
        JsonNode blank = server.json(server.post(LOGIN, "{\"username\":\"  \",\"password\":\"\"}"));
        assertEquals(Set.of("username", "password"), fields(blank));

        HttpResponse<String> tooLong = login("a".repeat(AuthRoutes.MAX_USERNAME + 1),
                "p".repeat(AuthRoutes.MAX_PASSWORD + 1));
        assertEquals(400, tooLong.statusCode());
        assertEquals(Set.of("username", "password"), fields(server.json(tooLong)));
        assertFalse(tooLong.body().contains("ppppp"), "the password is never echoed");
        verify(authenticate, never()).authenticate(anyString(), any());
    }

    @Test
    void wrongTypesAndUnknownFieldsAreRefused() {
        HttpResponse<String> response = server.post(LOGIN, "{\"username\":1,\"password\":true,\"otp\":\"x\"}");
        assertEquals(400, response.statusCode());
        assertEquals(Set.of("username", "password", "otp"), fields(server.json(response)));
    }

    @Test
    void malformedJsonAndOtherMediaTypesAreRefused() {
        assertEquals(400, server.post(LOGIN, "{\"username\":").statusCode());
        HttpResponse<String> form = server.postAs(LOGIN, "application/x-www-form-urlencoded",
                "username=alice&password=x");
        assertEquals(415, form.statusCode());
    }

    @Test
    void failedLoginsAreThrottledPerUsernameAndAddress() {
        for (int i = 0; i < LoginThrottle.DEFAULT_ATTEMPTS; i++) {
            assertEquals(401, login("alice", "guess" + i).statusCode());
        }
        HttpResponse<String> throttled = login("alice", "correct horse");
        assertEquals(429, throttled.statusCode());
        assertEquals("rate_limited", server.json(throttled).get("code").asText());
        long retryAfter = Long.parseLong(header(throttled, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 6, "one attempt back every 6 s: " + retryAfter);
        verify(authenticate, times((int) LoginThrottle.DEFAULT_ATTEMPTS)).authenticate(eq("alice"), any());

        // a different username from the same address is not affected; nor is the same name in other case
        assertEquals(401, login("bob", "guess").statusCode());
        assertEquals(429, login("ALICE", "guess").statusCode());

        server.clock.advance(Duration.ofSeconds(retryAfter));
        assertEquals(200, login("alice", "correct horse").statusCode());
    }

    @Test
    void successfulLoginsAreNotThrottled() {
        for (int i = 0; i < 3 * LoginThrottle.DEFAULT_ATTEMPTS; i++) {
            assertEquals(200, login("alice", "correct horse").statusCode(), "login " + i);
        }
    }

    @Test
    void aCustomThrottleCanBeWiredIn() {
        try (AuthTestServer strict = AuthTestServer.builder().authenticate(authenticate)
                .throttle(clock -> new LoginThrottle(1, Duration.ofMinutes(10), clock)).start()) {
            String body = "{\"username\":\"alice\",\"password\":\"nope\"}";
            assertEquals(401, strict.post(LOGIN, body).statusCode());
            HttpResponse<String> second = strict.post(LOGIN, body);
            assertEquals(429, second.statusCode());
            assertEquals("600", header(second, "Retry-After"));
        }
    }

    private static Set<String> fields(JsonNode problem) {
        Set<String> fields = new java.util.HashSet<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }
}
