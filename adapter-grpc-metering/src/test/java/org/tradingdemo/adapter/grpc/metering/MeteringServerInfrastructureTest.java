package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.Wire.NOW;
import static org.tradingdemo.adapter.grpc.metering.Wire.limits;
import static org.tradingdemo.adapter.grpc.metering.Wire.usd;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.metering.v1.TrackUsageRequest;

/** Health, reflection, the API key, TCP binding and graceful shutdown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeteringServerInfrastructureTest {

    private static ClientInterceptor apiKey(String key) {
        Metadata headers = new Metadata();
        headers.put(ApiKeyServerInterceptor.API_KEY, key);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static TrackUsageRequest track(String key) {
        return TrackUsageRequest.newBuilder().setAgentId("agent-1").setAmount(usd("10"))
                .setLimits(limits("100", "1000")).setIdempotencyKey(key).build();
    }

    @Test
    void servesOnAFreeLoopbackPortWithHealthAndReflection() throws Exception {
        try (MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), new MutableClock(NOW)).start()) {
            assertTrue(server.port() > 0);
            assertEquals("dns:///127.0.0.1:" + server.port(), server.target());
            ManagedChannel channel = Grpc.newChannelBuilder(server.target(), InsecureChannelCredentials.create()).build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
                assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
                assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                        .setService(MeteringServiceGrpc.SERVICE_NAME).build()).getStatus());

                assertEquals(Set.of(MeteringServiceGrpc.SERVICE_NAME, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"),
                        listServices(channel));

                assertTrue(MeteringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .trackUsage(track("trade-1")).getAllowed());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static Set<String> listServices(ManagedChannel channel) throws InterruptedException {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        Object answer = answers.poll(5, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(answer instanceof ServerReflectionResponse, String.valueOf(answer));
        Set<String> names = new HashSet<>();
        ((ServerReflectionResponse) answer).getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
        return names;
    }

    @Test
    void healthTurnsNotServingWhenShutdownStarts() throws Exception {
        String name = "metering-" + UUID.randomUUID();
        MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), new MutableClock(NOW))
                .startInProcess(name);
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService(MeteringServiceGrpc.SERVICE_NAME).build(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(HealthCheckResponse value) {
                            seen.add(value.getStatus());
                        }

                        @Override
                        public void onError(Throwable t) {
                            seen.add(Status.fromThrowable(t).getCode());
                        }

                        @Override
                        public void onCompleted() {
                            seen.add("completed");
                        }
                    });
            assertEquals(ServingStatus.SERVING, seen.poll(5, TimeUnit.SECONDS));

            long started = System.nanoTime();
            server.close(Duration.ofMillis(300)); // the open watch keeps the server busy until the grace ends
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertEquals(ServingStatus.NOT_SERVING, seen.poll(5, TimeUnit.SECONDS));
            assertNotNull(seen.poll(5, TimeUnit.SECONDS), "the watch ends when the server is forced down");
            assertTrue(tookMillis < 3_000, "close is bounded: " + tookMillis + " ms");
            assertFalse(server.isRunning());
            server.close(); // idempotent
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }

    @Test
    void everyCallNeedsTheApiKeyWhenOneIsConfigured() {
        String name = "metering-" + UUID.randomUUID();
        MeteringServerConfig config = MeteringServerConfig.loopback(0).withApiKey("s3cret-key");
        try (MeteringGrpcServer server = new MeteringGrpcServer(config, new MutableClock(NOW)).startInProcess(name)) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                MeteringServiceGrpc.MeteringServiceBlockingStub stub = MeteringServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS);
                assertUnauthenticated(() -> stub.trackUsage(track("trade-1")), "missing x-api-key");
                assertUnauthenticated(() -> stub.withInterceptors(apiKey("wrong")).trackUsage(track("trade-1")), "invalid x-api-key");
                assertUnauthenticated(() -> stub.withInterceptors(apiKey("s3cret-key-but-longer")).trackUsage(track("trade-1")),
                        "invalid x-api-key");
                assertUnauthenticated(() -> HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()), "missing x-api-key");
                assertEquals(0, server.book().openReservations(), "a refused call does nothing");

                assertTrue(stub.withInterceptors(apiKey("s3cret-key")).trackUsage(track("trade-1")).getAllowed());
                assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel).withInterceptors(apiKey("s3cret-key"))
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static void assertUnauthenticated(Runnable call, String description) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals(description, e.getStatus().getDescription());
    }

    @Test
    void aServerStartsOnce() {
        try (MeteringGrpcServer server = new MeteringGrpcServer(MeteringServerConfig.loopback(0), new MutableClock(NOW)).start()) {
            assertThrows(IllegalStateException.class, server::start);
            assertThrows(IllegalStateException.class, () -> server.startInProcess("x"));
        }
    }

    @Test
    void aTakenPortFailsWithAClearMessage() {
        try (MeteringGrpcServer first = new MeteringGrpcServer(MeteringServerConfig.loopback(0), new MutableClock(NOW)).start()) {
            MeteringGrpcServer second = new MeteringGrpcServer(MeteringServerConfig.loopback(first.port()), new MutableClock(NOW));
            var e = assertThrows(java.io.UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().startsWith("cannot start the metering gRPC server on 127.0.0.1:" + first.port()), e.getMessage());
        }
    }

    @Test
    void configIsValidatedAndNeverPrintsTheKey() {
        assertThrows(IllegalArgumentException.class, () -> MeteringServerConfig.loopback(70_000));
        assertThrows(IllegalArgumentException.class, () -> new MeteringServerConfig(" ", 0, Optional.empty(), Optional.empty(),
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new MeteringServerConfig("127.0.0.1", 0,
                Optional.of(java.nio.file.Path.of("cert.pem")), Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> MeteringServerConfig.loopback(0).withApiKey(" "));
        String printed = MeteringServerConfig.loopback(0).withApiKey("s3cret-key").toString();
        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("apiKey=***"), printed);
    }
}
