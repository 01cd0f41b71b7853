package org.tradingdemo.adapter.grpc.oversight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.grpc.oversight.Fixtures.T0;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.OversightUnavailableException;

/**
 * API key and TLS over a real loopback port. The certificate under src/test/resources/tls is self-signed
 * for {@code localhost} and {@code 127.0.0.1}, generated once with
 * {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 36500
 * -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"}.
 */
@Timeout(60)
class OversightSecurityTest {

    private static final String KEY = "s3cret-key-for-tests";
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Agent agent = Fixtures.agent(Fixtures.OWNER);
    private final Trade trade = Fixtures.trade(agent, Side.BUY, "10", "150");

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Path resource(String name) {
        try {
            return Path.of(OversightSecurityTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private OversightGrpcServer start(OversightServerConfig config) throws Exception {
        return use(new OversightGrpcServer(config, new MutableClock(T0)).start());
    }

    private RiskLevel evaluate(OversightClientConfig config) {
        GrpcApprovalClient client = use(new GrpcApprovalClient(config.withRetries(1, Duration.ZERO, Duration.ZERO)
                .withDeadline(Duration.ofSeconds(3))));
        return client.evaluate(agent, trade, Fixtures.portfolio(agent)).level();
    }

    private static Status.Code causeOf(Runnable call) {
        OversightUnavailableException e = assertThrows(OversightUnavailableException.class, call::run);
        return Status.fromThrowable(e.getCause()).getCode();
    }

    @Test
    void everyCallNeedsTheApiKey() throws Exception {
        OversightGrpcServer server = start(OversightServerConfig.loopback(0).withApiKey(KEY));
        OversightClientConfig base = OversightClientConfig.of(server.target());

        assertEquals(RiskLevel.LOW, evaluate(base.withApiKey(KEY)));
        assertEquals(Status.Code.UNAUTHENTICATED, causeOf(() -> evaluate(base)));
        assertEquals(Status.Code.UNAUTHENTICATED, causeOf(() -> evaluate(base.withApiKey(KEY + "x"))));
        assertEquals(Status.Code.UNAUTHENTICATED, causeOf(() -> evaluate(base.withApiKey("s3cret"))));

        ManagedChannel plain = OversightChannels.open(base);
        use(plain::shutdownNow);
        StatusRuntimeException health = assertThrows(StatusRuntimeException.class,
                () -> HealthGrpc.newBlockingStub(plain).check(HealthCheckRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, health.getStatus().getCode());
    }

    @Test
    void tlsWithASelfSignedCertificate() throws Exception {
        OversightGrpcServer server = start(OversightServerConfig.loopback(0)
                .withTls(resource("server.crt"), resource("server.key")));
        int port = server.port();
        Path trusted = resource("server.crt");

        assertEquals(RiskLevel.LOW, evaluate(OversightClientConfig.of("localhost:" + port).withTls(trusted)));
        assertEquals(RiskLevel.LOW, evaluate(OversightClientConfig.of("127.0.0.1:" + port).withTls(trusted)));
        assertEquals(Status.Code.UNAVAILABLE, causeOf(() -> evaluate(OversightClientConfig.of("localhost:" + port))),
                "plaintext against TLS");
        assertEquals(Status.Code.UNAVAILABLE, causeOf(() -> evaluate(OversightClientConfig.of("localhost:" + port).withTls())),
                "a certificate nobody vouches for");
    }

    @Test
    void theListenerFollowsDecisionsOverTlsWithAnApiKey() throws Exception {
        OversightGrpcServer server = start(OversightServerConfig.loopback(0)
                .withTls(resource("server.crt"), resource("server.key")).withApiKey(KEY));
        OversightClientConfig config = OversightClientConfig.of("localhost:" + server.port())
                .withTls(resource("server.crt")).withApiKey(KEY);

        GrpcApprovalClient client = use(new GrpcApprovalClient(config, id -> Optional.of(agent.userId())));
        OversightRequest pending = Fixtures.pending(trade, T0);
        client.submit(pending, trade);

        DecideOversightRequestUseCase decide = mock(DecideOversightRequestUseCase.class);
        when(decide.decide(any())).thenReturn(new DecideOversightRequestUseCase.NotFound());
        OversightDecisionListener listener = use(new OversightDecisionListener(config, decide)).start();
        Await.until("connected", listener::isConnected);
        server.approve(pending.id().value(), "alice", "ok");
        Await.until("applied", () -> listener.lastAppliedSequence() == 1);
        verify(decide).decide(new DecideOversightRequestUseCase.DecideCommand(new Actor(UserId.of("alice"), true),
                OversightRequestId.of(pending.id().value()), DecideOversightRequestUseCase.Decision.APPROVE,
                Optional.of("ok")));
    }
}
