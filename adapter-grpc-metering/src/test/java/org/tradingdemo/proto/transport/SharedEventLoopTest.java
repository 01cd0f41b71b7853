package org.tradingdemo.proto.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SharedEventLoopTest {

    @Test
    void aServerAndAClientOnTheSharedLoopServeAndAnswerOnItsOneThread() throws Exception {
        int before = SharedEventLoop.users();
        SharedEventLoop serverLoop = SharedEventLoop.acquire();
        SharedEventLoop clientLoop = SharedEventLoop.acquire();
        assertEquals(before + 2, SharedEventLoop.users());
        HealthStatusManager health = new HealthStatusManager();
        Server server = serverLoop.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                InsecureServerCredentials.create())).addService(health.getHealthService()).directExecutor().build().start();
        ManagedChannel channel = clientLoop.configure(NettyChannelBuilder.forTarget("127.0.0.1:" + server.getPort(),
                InsecureChannelCredentials.create())).directExecutor().build();
        try {
            CompletableFuture<String> answeredOn = new CompletableFuture<>();
            HealthGrpc.newStub(channel).check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                    answeredOn.complete(Thread.currentThread().getName());
                }

                @Override
                public void onError(Throwable t) {
                    answeredOn.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });

            assertTrue(answeredOn.get(10, TimeUnit.SECONDS).startsWith("grpc-shared-event-loop"),
                    "answered on " + answeredOn.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            clientLoop.release();
            serverLoop.release();
        }
        assertEquals(before, SharedEventLoop.users());
    }

    @Test
    void releaseIsIdempotentPerHandleAndTheLoopComesBackForTheNextUser() {
        int before = SharedEventLoop.users();
        SharedEventLoop first = SharedEventLoop.acquire();
        first.release();
        first.release();
        assertEquals(before, SharedEventLoop.users(), "a second release of one handle does not count");

        SharedEventLoop again = SharedEventLoop.acquire();
        assertEquals(before + 1, SharedEventLoop.users());
        again.release();
        assertEquals(before, SharedEventLoop.users());
    }
}
