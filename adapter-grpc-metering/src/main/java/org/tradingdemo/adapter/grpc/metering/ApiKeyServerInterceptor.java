package org.tradingdemo.adapter.grpc.metering;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every call (metering, health and reflection alike) whose {@code x-api-key} metadata is
 * missing or wrong with {@code UNAUTHENTICATED}. The comparison is constant-time: both sides are
 * hashed first, so neither the content nor the length of the key leaks through timing.
 */
final class ApiKeyServerInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(ApiKeyServerInterceptor.class);

    private final byte[] expectedDigest;

    ApiKeyServerInterceptor(String apiKey) {
        this.expectedDigest = sha256(apiKey);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String presented = headers.get(API_KEY);
        if (presented != null && MessageDigest.isEqual(expectedDigest, sha256(presented))) {
            return next.startCall(call, headers);
        }
        String reason = presented == null ? "missing x-api-key" : "invalid x-api-key";
        log.debug("refused {}: {}", call.getMethodDescriptor().getFullMethodName(), reason);
        call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
