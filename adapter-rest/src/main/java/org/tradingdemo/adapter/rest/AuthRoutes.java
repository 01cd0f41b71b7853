package org.tradingdemo.adapter.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.FieldError;
import org.tradingdemo.domain.model.User;

/**
 * {@code POST /api/v1/auth/login} with {@code {username, password}}: 200
 * {@code {token, tokenType: "Bearer", expiresAt, user: {id, username, role, scopes}}}, or 401
 * {@code invalid_credentials} - one answer for an unknown user and a wrong password. Failed attempts
 * are throttled per username and client address ({@link LoginThrottle}, 429 {@code rate_limited}).
 *
 * <p>The password is never logged nor echoed; it is handed to the use case as a {@code char[]} that is
 * wiped afterwards. (The request body itself is a {@code String} in Javalin and Jackson, which cannot
 * be wiped; the copy the use case sees can.)
 */
public final class AuthRoutes {

    public static final String LOGIN_PATH = RestApi.PREFIX + "/auth/login";
    /** Longer than any valid username (32), so a typo gets a 401 rather than a hint. */
    static final int MAX_USERNAME = 64;
    /** Bounds the work of hashing an attacker's password. */
    static final int MAX_PASSWORD = 256;

    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);

    /** The login request body. */
    record LoginRequest(String username, String password) {

        /** Never prints the password. */
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    private AuthRoutes() {
    }

    public static void register(Javalin app, AuthenticateUseCase authenticate, JwtTokens tokens, ObjectMapper mapper) {
        register(app, authenticate, tokens, mapper, new LoginThrottle(tokens.clock()));
    }

    public static void register(Javalin app, AuthenticateUseCase authenticate, JwtTokens tokens, ObjectMapper mapper,
                                LoginThrottle throttle) {
        app.post(LOGIN_PATH, ctx -> login(ctx, authenticate, tokens, mapper, throttle));
    }

    private static void login(Context ctx, AuthenticateUseCase authenticate, JwtTokens tokens, ObjectMapper mapper,
                              LoginThrottle throttle) {
        LoginRequest request = validated(JsonSupport.read(ctx, mapper, LoginRequest.class));
        LoginThrottle.Attempt attempt = throttle.acquire(request.username(), ctx.ip());
        char[] password = request.password().toCharArray();
        Optional<User> user;
        try {
            user = authenticate.authenticate(request.username(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isEmpty()) {
            log.info("login refused: invalid credentials for {} from {}", loggable(request.username()), ctx.ip());
            ctx.header("WWW-Authenticate", AuthFilter.CHALLENGE);
            throw ApiError.of(401, "invalid_credentials", "Unauthorized", "the username or password is wrong");
        }
        attempt.succeeded();
        JwtTokens.IssuedToken issued = tokens.issueToken(user.get());
        Principal principal = issued.principal();
        Map<String, Object> userBody = new LinkedHashMap<>();
        userBody.put("id", principal.userId().value());
        userBody.put("username", principal.username());
        userBody.put("role", principal.role().wireName());
        userBody.put("scopes", principal.scopes().stream().map(Scope::wire).sorted().toList());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("tokenType", "Bearer");
        body.put("expiresAt", issued.expiresAt());
        body.put("user", userBody);
        log.info("login of {} ({})", principal.username(), principal.role().wireName());
        ctx.status(200);
        JsonSupport.respond(ctx, body);
    }

    /** Both fields required strings with bounded lengths; every problem reported at once. */
    private static LoginRequest validated(LoginRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String username = request.username();
        if (username == null || username.isBlank()) {
            errors.add(new FieldError("username", "is required"));
        } else if (username.length() > MAX_USERNAME) {
            errors.add(new FieldError("username", "must be at most " + MAX_USERNAME + " characters"));
        }
        String password = request.password();
        if (password == null || password.isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        } else if (password.length() > MAX_PASSWORD) {
            errors.add(new FieldError("password", "must be at most " + MAX_PASSWORD + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiError.validation(errors);
        }
        return request;
    }

    /** People type passwords into the username field: log the name only when it could be one. */
    private static String loggable(String username) {
        try {
            return User.requireUsername(username);
        } catch (IllegalArgumentException e) {
            return "<not a valid username>";
        }
    }
}
