package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.junit.jupiter.api.Test;
import org.tradingdemo.adapter.rest.AuthTestServer.MutableClock;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;

class JwtTokensTest {

    private static final Instant T0 = AuthTestServer.T0;
    private static final Algorithm HS256 = Algorithm.HMAC256(AuthTestServer.SECRET.getBytes(StandardCharsets.UTF_8));

    private final MutableClock clock = new MutableClock(T0);
    private final RestSettings settings = RestSettings.defaults(AuthTestServer.SECRET, clock);
    private final JwtTokens tokens = new JwtTokens(settings);
    private final User trader = AuthTestServer.user("u-1", "alice", Role.TRADER);

    /** A token like ours, with the claims changed by {@code tweak}, signed by {@code algorithm}. */
    static String craft(Algorithm algorithm, UnaryOperator<JWTCreator.Builder> tweak) {
        return tweak.apply(JWT.create().withPayload(claims())).sign(algorithm);
    }

    /** The claims of a valid token for "alice", a trader, issued at T0 for an hour. */
    static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", RestSettings.DEFAULT_ISSUER);
        claims.put("aud", RestSettings.DEFAULT_AUDIENCE);
        claims.put("sub", "u-1");
        claims.put("username", "alice");
        claims.put("role", "trader");
        claims.put("scope", List.of("read", "trade:submit"));
        claims.put("iat", T0.getEpochSecond());
        claims.put("nbf", T0.getEpochSecond());
        claims.put("exp", T0.plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("jti", "jti-1");
        return claims;
    }

    /** A valid token but for the one claim left out. */
    static String craftWithout(String claim) {
        Map<String, Object> claims = claims();
        claims.remove(claim);
        return JWT.create().withPayload(claims).sign(HS256);
    }

    static String craft(UnaryOperator<JWTCreator.Builder> tweak) {
        return craft(HS256, tweak);
    }

    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void issuedTokenCarriesEveryClaim() {
        JwtTokens.IssuedToken issued = tokens.issueToken(trader);
        DecodedJWT jwt = JWT.decode(issued.token());

        assertEquals("HS256", jwt.getAlgorithm());
        assertEquals("u-1", jwt.getSubject());
        assertEquals("alice", jwt.getClaim("username").asString());
        assertEquals("trader", jwt.getClaim("role").asString());
        assertEquals(Set.of("read", "agent:create", "agent:terminate", "trade:submit"),
                Set.copyOf(jwt.getClaim("scope").asList(String.class)));
        assertEquals(T0, jwt.getIssuedAtAsInstant());
        assertEquals(T0, jwt.getNotBeforeAsInstant());
        assertEquals(T0.plus(Duration.ofHours(8)), jwt.getExpiresAtAsInstant());
        assertEquals(RestSettings.DEFAULT_ISSUER, jwt.getIssuer());
        assertEquals(List.of(RestSettings.DEFAULT_AUDIENCE), jwt.getAudience());
        assertTrue(jwt.getId() != null && !jwt.getId().isBlank());
        assertEquals(T0.plus(Duration.ofHours(8)), issued.expiresAt());
        assertFalse(issued.toString().contains(issued.token()), "toString must not print the token");
    }

    @Test
    void everyTokenHasItsOwnId() {
        assertNotEquals(JWT.decode(tokens.issue(trader)).getId(), JWT.decode(tokens.issue(trader)).getId());
    }

    @Test
    void expiryIsWholeSecondsEvenWhenTheClockIsNot() {
        clock.set(T0.plusMillis(750));
        JwtTokens.IssuedToken issued = tokens.issueToken(trader);
        assertEquals(JWT.decode(issued.token()).getExpiresAtAsInstant(), issued.expiresAt());
    }

    @Test
    void verifyGivesBackThePrincipal() {
        Principal p = tokens.verify(tokens.issue(trader)).orElseThrow();
        assertEquals(UserId.of("u-1"), p.userId());
        assertEquals("alice", p.username());
        assertEquals(Role.TRADER, p.role());
        assertEquals(Scope.forRole(Role.TRADER), p.scopes());
        assertEquals(p, tokens.issueToken(trader).principal());
    }

    @Test
    void everyRoleRoundTrips() {
        for (Role role : Role.values()) {
            Principal p = tokens.verify(tokens.issue(AuthTestServer.user("u-" + role.wireName(), "bob", role)))
                    .orElseThrow();
            assertEquals(role, p.role());
            assertEquals(Scope.forRole(role), p.scopes());
        }
    }

    @Test
    void validUntilExpiryAndNotASecondLonger() {
        String token = tokens.issue(trader);
        clock.set(T0.plus(Duration.ofHours(8)).minusSeconds(1));
        assertTrue(tokens.verify(token).isPresent());
        clock.set(T0.plus(Duration.ofHours(8)).plusSeconds(1));
        assertTrue(tokens.verify(token).isEmpty(), "expired");
    }

    @Test
    void aTokenSeenBeforeIsJudgedByTheClockExactlyAsAFreshOne() {
        // a token that verified once is remembered: around every time limit the remembered answer must
        // equal that of a verifier that has never seen the token
        String issued = tokens.issue(trader);
        String early = craft(b -> b.withNotBefore(T0.plusSeconds(100)).withIssuedAt(T0.plusSeconds(100)));
        Instant exp = T0.plus(Duration.ofHours(8));
        Instant craftedExp = T0.plus(Duration.ofHours(1));
        List<Instant> instants = List.of(T0.plusSeconds(69), T0.plusSeconds(70), T0.plusMillis(70_999), T0.plusSeconds(71),
                T0, craftedExp.minusMillis(1), craftedExp, exp.minusSeconds(1), exp.minusMillis(1), exp, exp.plusMillis(1),
                exp.plusSeconds(1));
        clock.set(T0.plusSeconds(70));
        assertTrue(tokens.verify(early).isPresent(), "within the skew of nbf and iat");
        assertTrue(tokens.verify(issued).isPresent());
        for (Instant at : instants) {
            clock.set(at);
            for (String token : List.of(issued, early)) {
                boolean fresh = new JwtTokens(settings).verify(token).isPresent();
                assertEquals(fresh, tokens.verify(token).isPresent(), "same answer at " + at);
            }
        }
        clock.set(exp);
        assertTrue(tokens.verify(issued).isEmpty(), "expired at exp");
    }

    @Test
    void rememberedTokensAreBounded() {
        for (int i = 0; i < JwtTokens.MAX_VERIFIED + 10; i++) {
            int n = i;
            assertTrue(tokens.verify(craft(b -> b.withJWTId("jti-" + n))).isPresent());
            assertTrue(tokens.rememberedTokens() <= JwtTokens.MAX_VERIFIED);
        }
        assertTrue(tokens.verify(craft(b -> b.withJWTId("jti-0"))).isPresent(), "still verifies after a sweep");
    }

    @Test
    void craftedTokenLikeOursIsAccepted() {
        // the negative tests below differ from this one in a single respect
        assertTrue(tokens.verify(craft(b -> b)).isPresent());
    }

    @Test
    void refusesAlgNone() {
        assertTrue(tokens.verify(craft(Algorithm.none(), b -> b)).isEmpty());
        // and with a signature part appended, so it gets past the shape check to the verifier
        String none = craft(Algorithm.none(), b -> b);
        assertTrue(tokens.verify(none + "c2ln").isEmpty());
    }

    @Test
    void refusesOtherHmacAlgorithmsWithTheSameSecret() {
        byte[] secret = AuthTestServer.SECRET.getBytes(StandardCharsets.UTF_8);
        assertTrue(tokens.verify(craft(Algorithm.HMAC512(secret), b -> b)).isEmpty());
        assertTrue(tokens.verify(craft(Algorithm.HMAC384(secret), b -> b)).isEmpty());
    }

    @Test
    void refusesRs256() {
        KeyPair keys = rsaKeys();
        Algorithm rs256 = Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate());
        assertTrue(tokens.verify(craft(rs256, b -> b)).isEmpty());
    }

    @Test
    void refusesAHeaderThatLiesAboutItsAlgorithm() {
        // HS256 signature, header switched to "none"
        String token = craft(b -> b);
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(tokens.verify(header + token.substring(token.indexOf('.'))).isEmpty());
    }

    @Test
    void refusesAWrongSecret() {
        Algorithm other = Algorithm.HMAC256("another-secret-that-is-also-32-bytes-long!!");
        assertTrue(tokens.verify(craft(other, b -> b)).isEmpty());
    }

    @Test
    void refusesATamperedPayload() {
        String token = craft(b -> b);
        String[] parts = token.split("\\.");
        String adminPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"trader\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
        assertTrue(tokens.verify(parts[0] + "." + adminPayload + "." + parts[2]).isEmpty());
    }

    @Test
    void refusesExpiredTokens() {
        assertTrue(tokens.verify(craft(b -> b.withExpiresAt(T0.minusSeconds(1)))).isEmpty());
    }

    @Test
    void refusesTokensNotYetValidBeyondTheLeeway() {
        assertTrue(tokens.verify(craft(b -> b.withNotBefore(T0.plusSeconds(60)))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withIssuedAt(T0.plusSeconds(60)))).isEmpty());
    }

    @Test
    void toleratesSmallClockSkew() {
        assertTrue(tokens.verify(craft(b -> b.withNotBefore(T0.plusSeconds(20)).withIssuedAt(T0.plusSeconds(20))))
                .isPresent());
    }

    @Test
    void refusesWrongIssuerOrAudience() {
        assertTrue(tokens.verify(craft(b -> b.withIssuer("someone-else"))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withAudience("another-api"))).isEmpty());
    }

    @Test
    void refusesMissingClaims() {
        for (String claim : List.of("sub", "exp", "iat", "iss", "aud", "username", "role", "scope")) {
            assertTrue(tokens.verify(craftWithout(claim)).isEmpty(), "a token without " + claim + " must be refused");
        }
        assertTrue(tokens.verify(craftWithout("nbf")).isPresent(), "nbf is optional");
        assertTrue(tokens.verify(craftWithout("jti")).isPresent(), "jti is optional");
    }

    @Test
    void refusesNullClaims() {
        for (String claim : List.of("sub", "exp", "iat", "iss", "aud", "username", "role", "scope")) {
            Map<String, Object> claims = claims();
            claims.put(claim, null);
            String token = JWT.create().withPayload(claims).sign(HS256);
            assertTrue(tokens.verify(token).isEmpty(), "a token with " + claim + ": null must be refused");
        }
    }

    @Test
    void refusesTimesThatAreNotNumbers() {
        assertTrue(tokens.verify(craft(b -> b.withClaim("exp", "tomorrow"))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withClaim("iat", "today"))).isEmpty());
    }

    @Test
    void refusesUnknownRolesAndBadClaimTypes() {
        assertTrue(tokens.verify(craft(b -> b.withClaim("role", "superuser"))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withClaim("role", "ADMIN"))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withClaim("role", 1))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withClaim("scope", "read"))).isEmpty());
        assertTrue(tokens.verify(craft(b -> b.withSubject("not a valid id!"))).isEmpty());
    }

    @Test
    void scopesAreCappedByTheRole() {
        Principal p = tokens.verify(craft(b -> b.withClaim("role", "viewer")
                .withArrayClaim("scope", new String[] {"read", "admin", "trade:submit", "future:scope"})))
                .orElseThrow();
        assertEquals(Set.of(Scope.READ), p.scopes());
        assertFalse(p.has(Scope.TRADE_SUBMIT));
    }

    @Test
    void refusesMalformedStrings() {
        for (String garbage : List.of("", " ", "abc", "a.b", "a.b.c", "a.b.c.d", "..", "Bearer x.y.z",
                "eyJhbGciOiJIUzI1NiJ9.e30.", "x".repeat(JwtTokens.MAX_TOKEN_LENGTH + 1))) {
            assertTrue(tokens.verify(garbage).isEmpty(), garbage);
        }
        assertTrue(tokens.verify(null).isEmpty());
        String valid = tokens.issue(trader);
        assertTrue(tokens.verify(valid + " ").isEmpty());
        assertTrue(tokens.verify(valid.substring(0, valid.length() - 2)).isEmpty());
    }

    @Test
    void toStringHidesTheSecret() {
        assertFalse(tokens.toString().contains(AuthTestServer.SECRET));
    }
}
