package org.tradingdemo.adapter.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.RegisteredClaims;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;

/**
 * Issues and verifies the API's bearer tokens: HS256 JWTs (java-jwt) carrying {@code sub} (user id),
 * {@code username}, {@code role}, {@code scope[]}, {@code iat}, {@code nbf}, {@code exp}, {@code iss},
 * {@code aud} and a random {@code jti}.
 *
 * <p>Verification accepts only HS256 signed with the configured secret (the HMAC256 verifier refuses
 * {@code none}, HS384/HS512, RS256, ...), for the configured issuer and audience, with {@code exp}
 * in the past refused and {@code nbf}/{@code iat} tolerated at most {@link #CLOCK_SKEW_SECONDS} in the
 * future. Time comes from the injected clock. Tokens are never logged, only why one was refused.
 */
public final class JwtTokens {

    /** Tolerated clock skew for {@code nbf} and {@code iat} in the future, in seconds. */
    public static final long CLOCK_SKEW_SECONDS = 30;
    /** Longer strings are refused before any parsing: a real token of ours is a few hundred bytes. */
    static final int MAX_TOKEN_LENGTH = 4096;

    static final String CLAIM_USERNAME = "username";
    static final String CLAIM_ROLE = "role";
    static final String CLAIM_SCOPE = "scope";

    private static final Logger log = LoggerFactory.getLogger(JwtTokens.class);
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    /** Upper bound on remembered verified tokens; a full cache is swept of expired ones, else emptied. */
    static final int MAX_VERIFIED = 10_000;

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    /**
     * Tokens that passed full verification, with what their time claims allow: a token's signature,
     * issuer, audience and claims never change, only the clock does, so a token seen before is
     * re-checked against the clock alone (the same rules java-jwt applies) instead of re-parsing
     * its JSON and recomputing its HMAC on every request. Only verified tokens enter, so callers
     * cannot fill it with junk; it is bounded by {@link #MAX_VERIFIED}.
     */
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final RestSettings settings;
    private final Clock clock;

    public JwtTokens(RestSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = settings.clock();
        this.algorithm = Algorithm.HMAC256(settings.jwtSecret());
        JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(settings.jwtIssuer())
                .withAudience(settings.jwtAudience())
                .withClaimPresence(RegisteredClaims.SUBJECT)
                .withClaimPresence(RegisteredClaims.EXPIRES_AT)
                .withClaimPresence(RegisteredClaims.ISSUED_AT)
                .withClaimPresence(CLAIM_USERNAME)
                .withClaimPresence(CLAIM_ROLE)
                .withClaimPresence(CLAIM_SCOPE)
                .acceptExpiresAt(0)
                .acceptNotBefore(CLOCK_SKEW_SECONDS)
                .acceptIssuedAt(CLOCK_SKEW_SECONDS);
        this.verifier = verification.build(clock);
    }

    /** A freshly issued token and what a client needs to know about it. */
    public record IssuedToken(String token, Instant issuedAt, Instant expiresAt, Principal principal) {

        public IssuedToken {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(principal, "principal");
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "IssuedToken[user=" + principal.userId() + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** A signed token for the user: sub, username, role, scope, iat, nbf, exp, iss, aud, jti. */
    public String issue(User user) {
        return issueToken(user).token();
    }

    /** Issues a token and tells when it expires (the login response shows {@code expiresAt}). */
    public IssuedToken issueToken(User user) {
        Objects.requireNonNull(user, "user");
        // JWT times are whole seconds: truncate so expiresAt in the response equals the exp claim
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(settings.tokenTtl());
        Set<Scope> scopes = Scope.forRole(user.role());
        String[] scopeWire = scopes.stream().map(Scope::wire).toArray(String[]::new);
        String token = JWT.create()
                .withIssuer(settings.jwtIssuer())
                .withAudience(settings.jwtAudience())
                .withSubject(user.id().value())
                .withClaim(CLAIM_USERNAME, user.username())
                .withClaim(CLAIM_ROLE, user.role().wireName())
                .withArrayClaim(CLAIM_SCOPE, scopeWire)
                .withIssuedAt(now)
                .withNotBefore(now)
                .withExpiresAt(expiresAt)
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
        return new IssuedToken(token, now, expiresAt, new Principal(user.id(), user.username(), user.role(), scopes));
    }

    /** How long issued tokens live. */
    public Duration tokenTtl() {
        return settings.tokenTtl();
    }

    /** The clock tokens are issued and checked against (also the time source of the login throttle). */
    public Clock clock() {
        return clock;
    }

    /** The principal of a valid token; empty for any invalid one (never says why to the caller). */
    public Optional<Principal> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            log.debug("bearer token refused: not a compact signed JWT");
            return Optional.empty();
        }
        Verified seen = verified.get(token);
        if (seen != null) {
            if (seen.validAt(now())) {
                return Optional.of(seen.principal());
            }
            verified.remove(token);
            log.debug("bearer token refused: expired");
            return Optional.empty();
        }
        Optional<Verified> fresh = verifyFully(token);
        fresh.ifPresent(v -> remember(token, v));
        return fresh.map(Verified::principal);
    }

    /** How many verified tokens are remembered (for tests). */
    int rememberedTokens() {
        return verified.size();
    }

    /** JWT times are whole seconds; java-jwt compares them with the clock truncated to seconds too. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private void remember(String token, Verified entry) {
        if (verified.size() >= MAX_VERIFIED) {
            Instant now = now();
            verified.values().removeIf(v -> !v.validAt(now));
            if (verified.size() >= MAX_VERIFIED) {
                verified.clear();
            }
        }
        verified.put(token, entry);
    }

    /**
     * A verified token's principal and time claims. Valid while {@code now < exp} and
     * {@code nbf, iat <= now + skew}: exactly the checks the verifier is built with above
     * ({@code acceptExpiresAt(0)}, {@code acceptNotBefore} and {@code acceptIssuedAt} of the skew).
     */
    private record Verified(Principal principal, Instant expiresAt, Instant notBefore, Instant issuedAt) {

        boolean validAt(Instant now) {
            Instant late = now.plusSeconds(CLOCK_SKEW_SECONDS);
            return now.isBefore(expiresAt)
                    && (notBefore == null || !late.isBefore(notBefore))
                    && !late.isBefore(issuedAt);
        }
    }

    private Optional<Verified> verifyFully(String token) {
        if (!COMPACT_JWS.matcher(token).matches()) {
            log.debug("bearer token refused: not a compact signed JWT");
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            return principalOf(jwt).map(p -> new Verified(p, jwt.getExpiresAtAsInstant(), jwt.getNotBeforeAsInstant(),
                    jwt.getIssuedAtAsInstant()));
        } catch (JWTVerificationException e) {
            // the exception's class names the reason; its message may quote claims, the token is never logged
            log.debug("bearer token refused: {}", e.getClass().getSimpleName());
            return Optional.empty();
        } catch (RuntimeException e) {
            log.debug("bearer token refused: unreadable ({})", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static Optional<Principal> principalOf(DecodedJWT jwt) {
        // present-but-null times pass java-jwt's presence check and skip its time checks: refuse them
        if (jwt.getExpiresAtAsInstant() == null || jwt.getIssuedAtAsInstant() == null) {
            log.debug("bearer token refused: exp or iat is not a time");
            return Optional.empty();
        }
        String subject = jwt.getSubject();
        String username = jwt.getClaim(CLAIM_USERNAME).asString();
        String roleText = jwt.getClaim(CLAIM_ROLE).asString();
        if (subject == null || username == null || roleText == null) {
            log.debug("bearer token refused: sub, username or role missing or not a string");
            return Optional.empty();
        }
        Optional<Role> role = roleOf(roleText);
        if (role.isEmpty()) {
            log.debug("bearer token refused: unknown role");
            return Optional.empty();
        }
        Optional<Set<Scope>> scopes = scopesOf(jwt.getClaim(CLAIM_SCOPE), role.get());
        if (scopes.isEmpty()) {
            log.debug("bearer token refused: scope is not an array of strings");
            return Optional.empty();
        }
        try {
            return Optional.of(new Principal(UserId.of(subject), username, role.get(), scopes.get()));
        } catch (IllegalArgumentException e) {
            log.debug("bearer token refused: sub is not a valid user id");
            return Optional.empty();
        }
    }

    /** Exact lower-case wire names only: a token is machine-written, anything else is suspect. */
    private static Optional<Role> roleOf(String text) {
        for (Role r : Role.values()) {
            if (r.wireName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The token's scopes, capped by what its role allows today: a token never grants more than its
     * role (a role whose scopes were narrowed after issue loses them at once). Unknown scope names
     * grant nothing and are ignored.
     */
    private static Optional<Set<Scope>> scopesOf(Claim claim, Role role) {
        List<String> wire;
        try {
            wire = claim.asList(String.class);
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
        if (wire == null) {
            return Optional.empty();
        }
        Set<Scope> allowed = Scope.forRole(role);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : wire) {
            if (s == null) {
                return Optional.empty();
            }
            Scope.fromWire(s).filter(allowed::contains).ifPresent(scopes::add);
        }
        return Optional.of(scopes);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "JwtTokens[issuer=" + settings.jwtIssuer() + ", audience=" + settings.jwtAudience() + "]";
    }
}
